/**
 * The letter as the paper form has it: 存根 (kept by the committee), 介绍信
 * (carried by the member) and 回执联 (sent back by the receiving organization),
 * with the validity in capital numerals. Printed from H5 on A4, one part a page
 * (the page breaks fall on the cut lines, letter.scss). The paper carries the
 * full ID number, which the receiving organization checks the member against:
 * only staff print, each print is audited on the server, and the number is held
 * in a print-only field until the print dialog closes — screens keep the mask.
 */
import { useEffect, useState } from 'react'
import { useRouter } from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import type { ReactNode } from 'react'
import type { MeResponse } from '@shared/auth'
import { getLetter, printLetter, type LetterView } from '@shared/transfers'
import { api, errorMessage, useApi } from '@/api'
import { AsyncContent } from '@/components/AsyncContent'
import { SignedInPage } from '@/components/SignedInPage'
import { ErrorState } from '@/components/StateViews'
import { Button } from '@/ui/nutui'
import { formatDateCn } from '@/utils/format'
import './letter.scss'
import { GENDER_LABELS, MEMBER_CATEGORY_LABELS } from '@shared/common'

const duesText = (month: string) => `${month.slice(0, 4)}年${Number(month.slice(5, 7))}月`
const BLANK_DATE = '　　　　年　　月　　日'
/** An ideographic space between two blanks on one line, as on the printed form. */
const GAP = '\u3000'

function Blank({ children, wide }: { children: ReactNode; wide?: boolean }) {
  return <Text className={`dj-letter__blank ${wide ? 'dj-letter__blank--wide' : ''}`}>{children}</Text>
}

function Part({ title, number, children, testId }: { title: string; number: string; children: ReactNode; testId: string }) {
  return (
    <View className='dj-letter__part' data-testid={testId}>
      <Text className='dj-letter__title'>{title}</Text>
      <Text className='dj-letter__number'>{number}</Text>
      {children}
    </View>
  )
}

function Cut() {
  return (
    <View className='dj-letter__cut'>
      <Text>（沿此线剪开）</Text>
    </View>
  )
}

/** The ID number: masked on screen; the full one only on paper, while a print is under way. */
function IdNumber({ masked, full }: { masked: string; full: string | null }) {
  return (
    <Blank wide>
      <Text className={full ? 'dj-letter__id-screen' : ''} data-testid='letter-id-masked'>{masked}</Text>
      {full ? <Text className='dj-letter__id-print'>{full}</Text> : null}
    </Blank>
  )
}

function Letter({ l, fullId }: { l: LetterView; fullId: string | null }) {
  const number = `第 ${l.letterNumber} 号`
  const person = (
    <>
      <Blank>{l.memberName}</Blank>同志（<Blank>{GENDER_LABELS[l.gender]}</Blank>，<Blank>{l.ethnicity}</Blank>，中共<Blank>{MEMBER_CATEGORY_LABELS[l.category]}</Blank>，身份证号码
      <IdNumber masked={l.idNumberMasked} full={fullId} />）
    </>
  )
  return (
    <View className={`dj-letter ${fullId ? 'dj-letter--printing' : ''}`} data-testid='letter'>
      <Part title='中国共产党党员组织关系介绍信（存根）' number={number} testId='letter-stub'>
        <Text className='dj-letter__text dj-letter__indent'>
          {person}，组织关系由<Blank wide>{l.fromOrganizationName}</Blank>转到
          <Blank wide>{l.toOrganizationName}</Blank>。党费已交到<Blank>{duesText(l.duesPaidThrough)}</Blank>。
        </Text>
        <Text className='dj-letter__text dj-letter__indent'>
          有效期<Blank>{l.validityDaysCapital}</Blank>天（至{formatDateCn(l.expiresOn)}）
        </Text>
        <Text className='dj-letter__date'>{formatDateCn(l.issuedOn)}</Text>
      </Part>
      <Cut />
      <Part title='中国共产党党员组织关系介绍信' number={number} testId='letter-main'>
        <Text className='dj-letter__text'>
          <Blank wide>{l.letterAddressee}</Blank>：
        </Text>
        <Text className='dj-letter__text dj-letter__indent'>
          兹介绍{person}的党员组织关系转去，请接洽。该同志党费已交到<Blank>{duesText(l.duesPaidThrough)}</Blank>。
        </Text>
        <Text className='dj-letter__text dj-letter__validity' data-testid='letter-validity'>
          （有效期<Blank>{l.validityDaysCapital}</Blank>天）
        </Text>
        <Text className='dj-letter__sign' data-testid='letter-seal'>{l.townshipName}（盖章）</Text>
        <Text className='dj-letter__date'>{formatDateCn(l.issuedOn)}</Text>
        <Text className='dj-letter__text dj-letter__small'>党员联系电话或其他联系方式：<Blank wide>{' '}</Blank></Text>
        <Text className='dj-letter__text dj-letter__small'>党员原所在基层党委通讯地址：<Blank wide>{' '}</Blank></Text>
        <Text className='dj-letter__text dj-letter__small'>联系电话：<Blank wide>{' '}</Blank>{GAP}邮编：<Blank>{' '}</Blank></Text>
      </Part>
      <Cut />
      <Part title='中国共产党党员组织关系介绍信（回执联）' number={number} testId='letter-receipt'>
        <Text className='dj-letter__text'>
          <Blank wide>{l.townshipName}</Blank>：
        </Text>
        <Text className='dj-letter__text dj-letter__indent'>
          <Blank>{l.memberName}</Blank>同志的党员组织关系已转达我处，特此回复。
        </Text>
        <Text className='dj-letter__text dj-letter__small'>经办人：<Blank>{' '}</Blank>{GAP}联系电话：<Blank wide>{' '}</Blank></Text>
        <Text className='dj-letter__sign'>接收党组织（盖章）</Text>
        <Text className='dj-letter__date'>{l.receiptReceivedOn ? `${formatDateCn(l.receiptReceivedOn)}（已收到回执）` : BLANK_DATE}</Text>
      </Part>
    </View>
  )
}

/** Staff only (the server refuses everyone else): fetch the audited full number, print, forget it. */
function PrintButton({ id, onFullId }: { id: number; onFullId: (full: string | null) => void }) {
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const print = async () => {
    setBusy(true)
    setError(null)
    try {
      const { idNumber } = await api(printLetter, { params: { id } })
      onFullId(idNumber)
    } catch (e) {
      setError(errorMessage(e))
    } finally {
      setBusy(false)
    }
  }
  return (
    <View className='dj-letter__print'>
      <Button type='primary' size='large' block loading={busy} onClick={print} data-testid='print-letter'>
        打印介绍信（三联，A4）
      </Button>
      <Text className='dj-letter__print-hint'>打印件带完整身份证号，每次打印都记入审计日志。</Text>
      {error ? <Text className='dj-letter__print-error'>{error}</Text> : null}
    </View>
  )
}

function LetterPage({ id, me }: { id: number; me: MeResponse }) {
  const letter = useApi(() => api(getLetter, { params: { id } }), [id])
  const [fullId, setFullId] = useState<string | null>(null)
  // Print once the full number is on the page; drop it as soon as the dialog closes.
  useEffect(() => {
    if (!fullId || process.env.TARO_ENV !== 'h5') return
    const forget = () => setFullId(null)
    window.addEventListener('afterprint', forget)
    window.print()
    return () => window.removeEventListener('afterprint', forget)
  }, [fullId])
  return (
    <AsyncContent state={letter} loadingText='正在加载介绍信…'>
      {(l) => (
        <>
          <Letter l={l} fullId={fullId} />
          {process.env.TARO_ENV === 'h5' && me.account.role === 'staff' ? <PrintButton id={id} onFullId={setFullId} /> : null}
        </>
      )}
    </AsyncContent>
  )
}

export default function TransferLetterPage() {
  const id = Number(useRouter().params.id)
  return (
    <SignedInPage gate='member'>
      {(me) => (Number.isInteger(id) && id > 0 ? <LetterPage id={id} me={me} /> : <ErrorState message='链接有误，找不到这封介绍信' />)}
    </SignedInPage>
  )
}
