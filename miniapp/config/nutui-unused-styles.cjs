/**
 * PostCSS plugin for the weapp build (config/index.ts): drops the NutUI rules this app can never match (issue 23.2).
 *
 * NutUI's Button stylesheet styles every type, size and fill it offers (13.6 KB of the weapp main package's
 * common.wxss); the app's buttons are primary or default, large, normal or small, solid or outline. The rules for
 * the other variants go, and so do the right-to-left rules of every NutUI stylesheet (no page is right-to-left).
 * tests/unit/nutui-button-variants.test.ts fails when a <Button> asks for a variant dropped here: take it off
 * these lists to use it.
 */
const UNUSED_BUTTON_VARIANTS = {
  type: ['success', 'info', 'warning', 'danger'],
  size: ['xlarge', 'mini'],
  fill: ['dashed', 'none'],
}

const unusedButtonRule = new RegExp(
  [
    `\\.nut-button-(?:${[...UNUSED_BUTTON_VARIANTS.type, ...UNUSED_BUTTON_VARIANTS.size].join('|')})\\b`,
    // Fills appear alone (.nut-button-dashed) and after a type (.nut-button-primary-dashed-disabled).
    `\\.nut-button-(?:[a-z]+-)?(?:${UNUSED_BUTTON_VARIANTS.fill.join('|')})\\b`,
  ].join('|'),
)
const rightToLeftRule = /\[dir=rtl\]|\.nut-rtl\b/
const nutuiFile = /[\\/]@nutui[\\/]nutui-react-taro[\\/]/
const buttonFile = /[\\/]packages[\\/]button[\\/]style[\\/]/

function plugin() {
  return {
    postcssPlugin: 'nutui-unused-styles',
    Once(root) {
      const file = root.source?.input.file ?? ''
      if (!nutuiFile.test(file)) return
      const unused = (selector) => rightToLeftRule.test(selector) || (buttonFile.test(file) && unusedButtonRule.test(selector))
      root.walkRules((rule) => {
        const kept = rule.selectors.filter((selector) => !unused(selector))
        if (kept.length === 0) rule.remove()
        else if (kept.length < rule.selectors.length) rule.selectors = kept
      })
    },
  }
}
plugin.postcss = true

module.exports = plugin
module.exports.UNUSED_BUTTON_VARIANTS = UNUSED_BUTTON_VARIANTS
