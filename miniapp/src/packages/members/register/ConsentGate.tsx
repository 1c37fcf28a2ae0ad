/**
 * Before the registration form (which takes the ID number): the guide and the two consents, at the guide's
 * current version. The server refuses the registration without them (403 consent_required); this gate
 * asks first, and again when the guide changed or the user withdrew.
 */
import { Text } from '@tarojs/components'
import type { ConsentState } from '@shared/privacy'
import { Card } from '@/components/Card'
import { ConsentForm } from '@/components/privacy/ConsentForm'
import { PrivacyGuide } from '@/components/privacy/PrivacyGuide'

export function ConsentGate({ state, onAgreed }: { state: ConsentState; onAgreed: () => void }) {
  return (
    <>
      <Card title={state.outdated ? '《隐私保护指引》已更新' : '登记前请先阅读'} accent testId='register-consent'>
        <Text className='dj-m-note'>
          {state.outdated
            ? '指引内容有变化，请重新阅读并同意后再登记。'
            : '登记需要填写您的姓名、身份证号、手机号和入党信息。请先阅读下面的《隐私保护指引》，同意后再填写。'}
        </Text>
      </Card>
      <Card>
        <PrivacyGuide />
      </Card>
      <Card>
        <ConsentForm needSensitive onAgreed={(s) => (s.coversIdNumber ? onAgreed() : undefined)} />
      </Card>
    </>
  )
}
