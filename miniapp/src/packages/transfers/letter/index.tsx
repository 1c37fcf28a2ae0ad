/**
 * The letter as the paper form has it: 存根 (kept by the committee), 介绍信
 * (carried by the member) and 回执联 (sent back by the receiving organization),
 * with the validity in capital numerals. Printed from H5 on A4.
 */
import { useRouter } from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import type { ReactNode } from 'react'
import { getLetter, type LetterView } from '@shared/transfers'
import { api, useApi } from '@/api'
import { AsyncContent } from '@/components/AsyncContent'
import { SignedInPage } from '@/components/SignedInPage'
import { ErrorState } from '@/components/StateViews'
import { Button } from '@/ui/nutui'
import { formatDateCn } from '@/utils/format'
import './letter.scss'
import { GENDER_LABELS, MEMBER_CATEGORY_LABELS } from '@shared/common'

const duesText = (month: string) => `${month.slice(0, 4)}年${Number(month.slice(5, 7))}月`

function Blank({ children, wide }: { children: string; wide?: boolean }) {
  return <Text className={`dj-letter__blank ${wide ? 'dj-letter__blank--wide' : ''}`}>{children}</Text>
}

function Part({ title, number, children, testId }: { title: string; number: string; children: ReactNode; testId: string }) {
  return (
    <View className='dj-letter__part' data-testid={testId}>
      <Text className='dj-letter__title'>{title}</Text>
      <Text className='dj-letter__number'>（{number}）</Text>
      {children}
    </View>
  )
}

function Letter({ l }: { l: LetterView }) {
  const person = (
    <>
      <Blank>{l.memberName}</Blank>同志（<Blank>{GENDER_LABELS[l.gender]}</Blank>，<Blank>{l.ethnicity}</Blank>，<Blank>{MEMBER_CATEGORY_LABELS[l.category]}</Blank>，身份证号
      <Blank wide>{l.idNumberMasked}</Blank>）
    </>
  )
  return (
    <View className='dj-letter' data-testid='letter'>
      <Part title='中国共产党党员组织关系介绍信（存根）' number={`第 ${l.letterNumber} 号`} testId='letter-stub'>
        <Text className='dj-letter__text'>
          {person}，组织关系由<Blank wide>{l.fromOrganizationName}</Blank>转到
          <Blank wide>{l.toOrganizationName}</Blank>。党费已交到<Blank>{duesText(l.duesPaidThrough)}</Blank>。
        </Text>
        <Text className='dj-letter__text'>
          有效期<Blank>{l.validityDaysCapital}</Blank>天（至{formatDateCn(l.expiresOn)}）
        </Text>
        <Text className='dj-letter__date'>{formatDateCn(l.issuedOn)}</Text>
      </Part>
      <View className='dj-letter__cut'>
        <Text>（沿此线剪开）</Text>
      </View>
      <Part title='中国共产党党员组织关系介绍信' number={`第 ${l.letterNumber} 号`} testId='letter-main'>
        <Text className='dj-letter__text'>
          <Blank wide>{l.letterAddressee}</Blank>：
        </Text>
        <Text className='dj-letter__text dj-letter__indent'>
          兹介绍{person}的党员组织关系转去，请接洽。该同志党费已交到<Blank>{duesText(l.duesPaidThrough)}</Blank>。
        </Text>
        <Text className='dj-letter__text dj-letter__validity' data-testid='letter-validity'>
          （有效期<Blank>{l.validityDaysCapital}</Blank>天）
        </Text>
        <Text className='dj-letter__sign'>{l.townshipName}（盖章）</Text>
        <Text className='dj-letter__date'>{formatDateCn(l.issuedOn)}</Text>
      </Part>
      <View className='dj-letter__cut'>
        <Text>（沿此线剪开）</Text>
      </View>
      <Part title='中国共产党党员组织关系介绍信（回执联）' number={`第 ${l.letterNumber} 号`} testId='letter-receipt'>
        <Text className='dj-letter__text'>
          <Blank wide>{l.townshipName}</Blank>：
        </Text>
        <Text className='dj-letter__text dj-letter__indent'>
          <Blank>{l.memberName}</Blank>同志的党员组织关系已转达我处，特此回复。
        </Text>
        <Text className='dj-letter__sign'>接收党组织（盖章）</Text>
        <Text className='dj-letter__date'>{l.receiptReceivedOn ? `${formatDateCn(l.receiptReceivedOn)}（已收到回执）` : '　　年　　月　　日'}</Text>
      </Part>
    </View>
  )
}

function LetterPage({ id }: { id: number }) {
  const letter = useApi(() => api(getLetter, { params: { id } }), [id])
  return (
    <AsyncContent state={letter} loadingText='正在加载介绍信…'>
      {(l) => (
        <>
          <Letter l={l} />
          {process.env.TARO_ENV === 'h5' ? (
            <View className='dj-letter__print'>
              <Button type='primary' size='large' block onClick={() => window.print()} data-testid='print-letter'>
                打印介绍信
              </Button>
            </View>
          ) : null}
        </>
      )}
    </AsyncContent>
  )
}

export default function TransferLetterPage() {
  const id = Number(useRouter().params.id)
  return (
    <SignedInPage gate='member'>
      {() => Number.isInteger(id) && id > 0 ? <LetterPage id={id} /> : <ErrorState message='链接有误，找不到这封介绍信' />}
    </SignedInPage>
  )
}
