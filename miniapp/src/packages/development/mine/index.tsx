/** 我的入党进度: the applicant's own record only (linked once with their name and ID number), and what comes next. */
import { View, Input } from '@tarojs/components'
import { useState } from 'react'
import { linkMyDevelopment, myDevelopment } from '@shared/development'
import { api, ApiError, errorMessage, useApi } from '@/api'
import { ConsentForm } from '@/components/privacy/ConsentForm'
import { AsyncContent } from '@/components/AsyncContent'
import { Card } from '@/components/Card'
import { Field, FormBanner } from '@/components/form/FormParts'
import { SignedInPage } from '@/components/SignedInPage'
import { Button } from '@/ui/nutui'
import { Timeline } from '../shared/Timeline'
import '../shared/development.scss'
import '@/components/form/FormBoxes.scss'

function LinkForm({ onLinked }: { onLinked: () => void }) {
  const [name, setName] = useState('')
  const [idNumber, setIdNumber] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [saving, setSaving] = useState(false)
  // The ID number is sensitive: the applicant agrees to the guide (and to the ID number) before it is checked.
  const [needConsent, setNeedConsent] = useState(false)
  async function link() {
    if (!name.trim() || !idNumber.trim()) return setError('请填写姓名和身份证号')
    setError(null)
    setSaving(true)
    try {
      await api(linkMyDevelopment, { body: { name: name.trim(), idNumber: idNumber.trim() } })
      onLinked()
    } catch (e) {
      if (e instanceof ApiError && e.code === 'consent_required') return setNeedConsent(true)
      setError(errorMessage(e))
    } finally {
      setSaving(false)
    }
  }
  return (
    <Card title='查看我的入党进度' testId='link-form'>
      <Field label='姓名' required>
        <Input className='dj-form__input' maxlength={20} value={name} onInput={(e) => setName(e.detail.value)} data-testid='link-name' />
      </Field>
      <Field label='身份证号' required hint='与支部登记入党申请时的一致'>
        <Input className='dj-form__input' maxlength={18} value={idNumber} onInput={(e) => setIdNumber(e.detail.value)} data-testid='link-id' />
      </Field>
      <FormBanner error={error} testId='link-error' />
      {needConsent ? (
        <View data-testid='link-consent'>
          <ConsentForm needSensitive onAgreed={(state) => (state.coversIdNumber ? (setNeedConsent(false), void link()) : undefined)} />
        </View>
      ) : (
        <Button type='primary' size='large' block loading={saving} disabled={saving} onClick={() => void link()} data-testid='link-save'>
          查看进度
        </Button>
      )}
    </Card>
  )
}

function Mine() {
  const mine = useApi(() => api(myDevelopment), [])
  return (
    <AsyncContent state={mine} loadingText='正在加载…'>
      {(d) => <View data-testid='my-development'>{d.record ? <Timeline record={d.record} /> : <LinkForm onLinked={() => void mine.reload()} />}</View>}
    </AsyncContent>
  )
}

export default function MyDevelopmentPage() {
  return <SignedInPage>{() => <Mine />}</SignedInPage>
}
