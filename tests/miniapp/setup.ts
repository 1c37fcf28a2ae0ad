import { afterEach } from 'vitest'

// Tell React this is a test environment so act() warnings are accurate.
;(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true

// Unmount what a component test rendered. Imported lazily so logic-only test
// files do not pay for loading React Testing Library.
afterEach(async () => {
  if (typeof document !== 'undefined' && document.body.childElementCount > 0) {
    const { cleanup } = await import('@testing-library/react')
    cleanup()
  }
})
