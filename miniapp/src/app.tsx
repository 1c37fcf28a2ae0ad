import type { PropsWithChildren } from 'react'
// NutUI's component styles first, so the app's own styles (same specificity) win.
import '@/ui/nutui'
import './app.scss'
import { keepAppOnDevice, startOfflineSync } from '@/offline'
import { installWechatPrivacyListener } from '@/privacy/wechat'
import { keepDashedPropsAsAttributes } from '@/utils/preact-h5-attributes'

// H5: aria-* and data-* props stay attributes on Taro's web components under Preact (see the module).
if (process.env.TARO_ENV === 'h5') keepDashedPropsAsAttributes()

// Writes queued without signal go out on every start and whenever the network returns.
startOfflineSync()
// H5: the built pages kept on the phone, so a tab opened without signal still opens.
keepAppOnDevice()
// WeChat asks for its privacy authorization before a privacy API runs: answer with our guide page.
installWechatPrivacyListener()

/** The app root; Taro renders the current page as children. Sessions are loaded per page (see SessionGate). */
function App({ children }: PropsWithChildren) {
  return children
}

export default App
