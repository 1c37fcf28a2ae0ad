/**
 * H5 under Preact: aria-* and data-* props on Taro's components reach the page as attributes again.
 *
 * In H5 a Taro component (View, Text, …) is a web component (`taro-view-core`) behind Taro's Stencil wrapper,
 * whose componentDidUpdate copies every prop onto the element as a property (`el['aria-checked'] = true`).
 * Preact writes a prop as a property whenever `name in el`, so from the second render on it updates that copy
 * and leaves the attribute as the first render wrote it: a switch stayed aria-checked="false" once on, the
 * oath's first phrase kept aria-current, the study ring's data-minutes stayed 0. React writes a custom element's
 * props as attributes. After each element is diffed, this hook writes its dashed props as attributes the way
 * React does (null or undefined removes one, anything else is its string) and removes those the element lost.
 * The weapp renders through Taro's own DOM, where these props were always attributes.
 */
import { options, type VNode } from 'preact'

/** The dashed props each custom element was last given. */
const lastDashed = new WeakMap<Element, Record<string, unknown>>()

/** Preact 10 keeps an element's DOM node on its vnode as `__e` (`_dom` before mangling). */
function domOf(vnode: VNode): Element | null {
  const dom = (vnode as unknown as { __e?: unknown }).__e
  return dom instanceof Element ? dom : null
}

function syncDashedAttributes(vnode: VNode) {
  if (typeof vnode.type !== 'string' || !vnode.type.includes('-')) return
  const dom = domOf(vnode)
  if (!dom) return
  const props = vnode.props as Record<string, unknown>
  const dashed: Record<string, unknown> = {}
  for (const name of Object.keys(props)) {
    if (name.startsWith('aria-') || name.startsWith('data-')) dashed[name] = props[name]
  }
  for (const name of Object.keys(lastDashed.get(dom) ?? {})) {
    if (!(name in dashed)) dom.removeAttribute(name)
  }
  for (const [name, value] of Object.entries(dashed)) {
    if (value == null) dom.removeAttribute(name)
    else if (dom.getAttribute(name) !== String(value)) dom.setAttribute(name, String(value))
  }
  lastDashed.set(dom, dashed)
}

export function keepDashedPropsAsAttributes() {
  const previous = options.diffed
  options.diffed = (vnode) => {
    syncDashedAttributes(vnode)
    previous?.(vnode)
  }
}
