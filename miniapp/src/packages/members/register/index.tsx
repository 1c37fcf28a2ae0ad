/**
 * 党员信息登记: a signed-in WeChat user with no member record fills the form;
 * the branch secretary verifies it. The page shows, in order of what matters to
 * the applicant: their status (待审核 / 未通过 with the reason / 已通过), or the form.
 */
import Taro from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import { useState } from 'react'
import type { MeResponse } from '@shared/auth'
import { myConsent } from '@shared/privacy'
import { myRegistration } from '@shared/registrations'
import { api, errorMessage, useApi } from '@/api'
import { refreshMe } from '@/auth/session'
import { AsyncContent } from '@/components/AsyncContent'
import { Card } from '@/components/Card'
import { SignedInPage } from '@/components/SignedInPage'
import { TAB_ROUTES } from '@/routes'
import { Button } from '@/ui/nutui'
import { draftFrom, EMPTY } from './draft'
import { RegisterForm } from './RegisterForm'
import { ConsentGate } from './ConsentGate'
import { StatusCard } from './StatusCard'
import '../shared/members.scss'

function Register({ me }: { me: MeResponse }) {
  const mine = useApi(() => api(myRegistration), [])
  // The form takes the ID number: the privacy guide and the separate ID-number consent come first.
  const consent = useApi(() => api(myConsent), [])
  const [editing, setEditing] = useState(false)

  if (me.member) {
    return (
      <Card title='您已是登记在册的党员' accent testId='already-member'>
        <Text className='dj-m-note'>
          {me.member.name}，您的党员档案在「{me.member.organizationName}」。如信息有误，请联系支部书记修改。
        </Text>
        <View className='dj-m-actions'>
          <Button type='primary' size='large' onClick={() => void Taro.switchTab({ url: TAB_ROUTES.me })} data-testid='go-profile'>
            查看我的档案
          </Button>
        </View>
      </Card>
    )
  }

  const refresh = async () => {
    try {
      const fresh = await refreshMe()
      // Approved: the page turns into the member card by itself (the shared account changed).
      if (fresh.member) return
    } catch (e) {
      void Taro.showToast({ title: errorMessage(e), icon: 'none' })
    }
    await mine.reload()
  }

  return (
    <AsyncContent state={mine} loadingText='正在查询登记状态…'>
      {({ registration }) =>
        registration && !editing ? (
          <StatusCard registration={registration} onEdit={() => setEditing(true)} onRefresh={() => void refresh()} />
        ) : (
          <AsyncContent state={consent} loadingText='正在读取隐私保护指引…'>
            {(c) =>
              c.coversIdNumber ? (
                <RegisterForm
                  initial={registration?.status === 'rejected' ? draftFrom(registration) : EMPTY}
                  onConsentRequired={() => void consent.reload()}
                  onSubmitted={() => {
                    setEditing(false)
                    void Taro.showToast({ title: '已提交，等待审核', icon: 'success' })
                    void mine.reload()
                  }}
                />
              ) : (
                <ConsentGate state={c} onAgreed={() => void consent.reload()} />
              )
            }
          </AsyncContent>
        )
      }
    </AsyncContent>
  )
}

export default function RegisterPage() {
  return (
    <SignedInPage>
      {(me) => <Register me={me} />}
    </SignedInPage>
  )
}
