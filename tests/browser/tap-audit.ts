/**
 * Measures what an older member meets on the page on screen (issue 19.4): every visible tappable element's tap
 * box (44 CSS px both ways; 48 in 长辈模式), the contrast of every visible text against its effective background
 * (4.5:1), text size in 长辈模式 (20 px) and horizontal overflow. Runs inside the page; returns findings, each
 * naming the element, so a failure says where to look.
 *
 * Tappable means: buttons, links, inputs, checkboxes and radios (Taro's and native), [role=button|switch|checkbox|
 * radio|tab], NutUI clickable cells, tab bar items, and any element with a click handler of its own (React's props
 * on the element, or the listener Taro's web components record).
 */
import type { Page } from 'playwright-core'

export interface AuditOptions {
  care: boolean
}

export interface Finding {
  rule: 'tap' | 'contrast' | 'font' | 'overflow'
  selector: string
  detail: string
}

export async function auditVisiblePage(page: Page, options: AuditOptions): Promise<Finding[]> {
  // The test's compiler may name inner functions through a helper the page lacks.
  await page.evaluate('globalThis.__name ??= (f) => f')
  return page.evaluate(measureInPage, { minTap: options.care ? 48 : 44, minFont: options.care ? 20 : 0, minContrast: 4.5 })
}

interface Limits {
  minTap: number
  minFont: number
  minContrast: number
}

/* Everything below runs in the browser: self-contained, no imports. */
function measureInPage(limits: Limits): Finding[] {
  const TAPPABLE = [
    'button',
    'a[href]',
    'input:not([type=hidden])',
    'textarea',
    'select',
    '[role=button]',
    '[role=switch]',
    '[role=checkbox]',
    '[role=radio]',
    '[role=tab]',
    '[role=link]',
    'taro-button-core',
    'taro-input-core',
    'taro-textarea-core',
    'taro-checkbox-core',
    'taro-radio-core',
    'taro-switch-core',
    'taro-picker-core',
    '.nut-button',
    '.nut-cell--clickable',
    '.weui-tabbar__item',
  ].join(',')
  const findings: Finding[] = []
  const pages = [...document.querySelectorAll<HTMLElement>('.taro_page')].filter(visible)
  const root = pages[pages.length - 1]
  if (!root) return [{ rule: 'overflow', selector: '.taro_page', detail: 'no visible page' }]
  const scopes: HTMLElement[] = [root, ...[...document.querySelectorAll<HTMLElement>('.weui-tabbar')].filter(visible)]

  function visible(el: Element): boolean {
    const rect = el.getBoundingClientRect()
    if (rect.width < 1 || rect.height < 1) return false
    const style = getComputedStyle(el)
    return style.visibility !== 'hidden' && style.display !== 'none' && Number(style.opacity) > 0.05
  }

  function describe(el: Element): string {
    const tag = el.tagName.toLowerCase()
    const testId = el.getAttribute('data-testid')
    const classes = [...el.classList].filter((c) => /^(dj|nut|weui)-/.test(c) && !/--(on|active)$/.test(c)).slice(0, 2)
    const text = (el.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 16)
    return `${tag}${testId ? `[data-testid=${testId}]` : ''}${classes.map((c) => `.${c}`).join('')}${text ? ` "${text}"` : ''}`
  }

  function hasClickHandler(el: Element): boolean {
    const record = el as unknown as Record<string, unknown>
    const propsKey = Object.keys(record).find((k) => k.startsWith('__reactProps$'))
    const props = propsKey ? (record[propsKey] as { onClick?: unknown; onTap?: unknown } | undefined) : undefined
    if (typeof props?.onClick === 'function' || typeof props?.onTap === 'function') return true
    const events = record.__events as Record<string, unknown> | undefined
    return typeof events?.click === 'function' || typeof events?.tap === 'function'
  }

  /** A checkbox or radio inside a label is tapped through the label: its box is the label's. */
  function tapBox(el: Element): DOMRect {
    const label = el.closest('label, taro-label-core')
    return (label && label !== el ? label : el).getBoundingClientRect()
  }

  function insideScroller(el: Element): boolean {
    for (let p = el.parentElement; p && p !== root; p = p.parentElement) {
      const overflowX = getComputedStyle(p).overflowX
      if (overflowX === 'auto' || overflowX === 'scroll') return true
    }
    return false
  }

  // Tap targets.
  const seen = new Set<Element>()
  for (const scope of scopes) {
    for (const el of scope.querySelectorAll('*')) {
      if (seen.has(el)) continue
      if (!(el.matches(TAPPABLE) || hasClickHandler(el))) continue
      seen.add(el)
      if (!visible(el)) continue
      // The field inside Taro's input wrapper is laid over the wrapper (app.scss): the wrapper is measured.
      if (el.matches('input, textarea') && el.parentElement?.matches('taro-input-core, taro-textarea-core')) continue
      const box = tapBox(el)
      if (box.width < limits.minTap - 0.5 || box.height < limits.minTap - 0.5) {
        findings.push({ rule: 'tap', selector: describe(el), detail: `${Math.round(box.width)}×${Math.round(box.height)} < ${limits.minTap}` })
      }
    }
  }

  // Text: contrast, and size in 长辈模式.
  type Rgba = [number, number, number, number]
  function parse(color: string): Rgba {
    const m = color.match(/rgba?\(([^)]+)\)/)
    if (!m) return [0, 0, 0, 0]
    const parts = m[1]!.split(/[\s,/]+/).filter(Boolean).map(Number)
    return [parts[0] ?? 0, parts[1] ?? 0, parts[2] ?? 0, parts[3] ?? 1]
  }
  function over(top: Rgba, bottom: Rgba): Rgba {
    const a = top[3] + bottom[3] * (1 - top[3])
    if (a === 0) return [0, 0, 0, 0]
    const mix = (i: number) => (top[i]! * top[3] + bottom[i]! * bottom[3] * (1 - top[3])) / a
    return [mix(0), mix(1), mix(2), a]
  }
  function luminance([r, g, b]: Rgba): number {
    const ch = (v: number) => {
      const s = v / 255
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4
    }
    return 0.2126 * ch(r) + 0.7152 * ch(g) + 0.0722 * ch(b)
  }
  const WHITE: Rgba = [255, 255, 255, 1]
  function composite(layers: Rgba[], base: Rgba): Rgba {
    let result = base
    for (const layer of [...layers].reverse()) result = over(layer, result)
    return result
  }
  /**
   * The colours behind an element: its and its ancestors' backgrounds composited, on white. Over a gradient, one
   * per colour stop (the text must read on each); over a picture, none (not measured).
   */
  function backgroundsOf(el: Element): Rgba[] {
    const layers: Rgba[] = []
    for (let p: Element | null = el; p; p = p.parentElement) {
      const style = getComputedStyle(p)
      const color = parse(style.backgroundColor)
      if (style.backgroundImage !== 'none') {
        const stops = style.backgroundImage.match(/rgba?\([^)]+\)/g)
        if (!stops || style.backgroundImage.includes('url(')) return []
        const under = over(color, WHITE)
        return stops.map((stop) => composite(layers, over(parse(stop), under)))
      }
      if (color[3] > 0) layers.push(color)
      if (color[3] >= 1) break
    }
    return [composite(layers, WHITE)]
  }
  function opacityOf(el: Element): number {
    let o = 1
    for (let p: Element | null = el; p; p = p.parentElement) o *= Number(getComputedStyle(p).opacity)
    return o
  }

  for (const scope of scopes) {
    for (const el of scope.querySelectorAll('*')) {
      const text = [...el.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.textContent ?? '').join('').trim()
      if (!text || !visible(el)) continue
      const style = getComputedStyle(el)
      const size = Number.parseFloat(style.fontSize)
      if (limits.minFont > 0 && size < limits.minFont - 0.1) {
        findings.push({ rule: 'font', selector: describe(el), detail: `${size}px < ${limits.minFont}px` })
      }
      const fg = parse(style.color)
      if (fg[3] === 0) continue
      fg[3] *= opacityOf(el)
      let ratio = Infinity
      let bg: Rgba = WHITE
      for (const candidate of backgroundsOf(el)) {
        const [l1, l2] = [luminance(over(fg, candidate)), luminance(candidate)].sort((a, b) => b - a) as [number, number]
        const r = (l1 + 0.05) / (l2 + 0.05)
        if (r < ratio) [ratio, bg] = [r, candidate]
      }
      if (ratio < limits.minContrast - 0.005) {
        findings.push({ rule: 'contrast', selector: describe(el), detail: `${ratio.toFixed(2)}:1 (${style.color} on rgb(${bg.slice(0, 3).map(Math.round).join(',')}))` })
      }
    }
  }

  // Horizontal overflow: the page scrolls sideways, or an element reaches past the screen (not inside a scroller).
  const width = document.documentElement.clientWidth
  if (document.documentElement.scrollWidth > width + 1 || root.scrollWidth > root.clientWidth + 1) {
    findings.push({ rule: 'overflow', selector: describe(root).slice(0, 40), detail: `scrollWidth ${Math.max(document.documentElement.scrollWidth, root.scrollWidth)} > ${width}` })
  }
  const offenders: Element[] = []
  for (const el of root.querySelectorAll('*')) {
    if (!visible(el)) continue
    const rect = el.getBoundingClientRect()
    if (rect.right <= width + 1 && rect.left >= -1) continue
    if (insideScroller(el) || offenders.some((o) => o.contains(el))) continue
    offenders.push(el)
  }
  for (const el of offenders.slice(0, 5)) {
    const rect = el.getBoundingClientRect()
    findings.push({ rule: 'overflow', selector: describe(el), detail: `spans ${Math.round(rect.left)}–${Math.round(rect.right)} of ${width}` })
  }
  return findings
}
