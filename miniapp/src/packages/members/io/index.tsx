/**
 * 花名册导入导出 (H5, committee staff at a desk): download the template, upload a
 * filled roster (progress while it uploads and while the server checks every
 * row; every bad cell listed by row and column; all or nothing), export the
 * roster masked or — audited — in full.
 */
import Taro from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import { useState } from 'react'
import type { MeResponse } from '@shared/auth'
import { MAX_IMPORT_ROWS } from '@shared/members'
import { IMPORT_BASIS, IMPORT_BASIS_TEXT } from '@shared/privacy'
import { Card } from '@/components/Card'
import { ConsentTick } from '@/components/privacy/ConsentForm'
import { SignedInPage } from '@/components/SignedInPage'
import { Button } from '@/ui/nutui'
// Static import: the module touches the DOM only when its functions run (H5 only).
import { errorMessage } from '@/api'
import { downloadFile } from '@/api/download'
import { pickXlsx, uploadXlsx, type ServerError } from './h5-files'
import '../shared/members.scss'

type ImportState =
  | { phase: 'idle' }
  | { phase: 'uploading'; fraction: number; fileName: string }
  | { phase: 'checking'; fileName: string }
  | { phase: 'done'; total: number; inserted: number; updated: number }
  | { phase: 'failed'; message: string; issues: ServerError['issues'] }

const isServerError = (e: unknown): e is ServerError => typeof e === 'object' && e !== null && 'message' in e && 'issues' in e

function ImportCard() {
  const [state, setState] = useState<ImportState>({ phase: 'idle' })
  const busy = state.phase === 'uploading' || state.phase === 'checking'
  // The file carries ID numbers members did not type here: staff confirm the basis the roster is kept on.
  const [basisConfirmed, setBasisConfirmed] = useState(false)
  const start = async () => {
    if (!basisConfirmed) return setState({ phase: 'failed', message: '请先勾选确认导入依据', issues: [] })
    const file = await pickXlsx()
    if (!file) return
    setState({ phase: 'uploading', fraction: 0, fileName: file.name })
    try {
      const result = await uploadXlsx<{ total: number; inserted: number; updated: number }>(`/api/members/import?basis=${IMPORT_BASIS}`, file, (fraction) => {
        // Once the bytes are up, the server is checking every row and saving: say so.
        setState(fraction >= 1 ? { phase: 'checking', fileName: file.name } : { phase: 'uploading', fraction, fileName: file.name })
      })
      setState({ phase: 'done', ...result })
    } catch (e) {
      setState(isServerError(e) ? { phase: 'failed', message: e.message, issues: e.issues } : { phase: 'failed', message: '导入失败，请重试', issues: [] })
    }
  }
  return (
    <Card title='导入花名册' accent testId='import-card'>
      <Text className='dj-m-note'>
        按模板填写后上传 .xlsx 文件（一次最多 {MAX_IMPORT_ROWS} 行）。系统会逐行检查：有任何错误都不会导入，改正后重新上传即可；已在花名册中的人按身份证号更新，不会重复。
      </Text>
      {state.phase === 'uploading' || state.phase === 'checking' ? (
        <View data-testid='import-progress'>
          <View className='dj-m-progress'>
            <View className='dj-m-progress__bar' style={{ width: `${state.phase === 'checking' ? 100 : Math.round(state.fraction * 100)}%` }} />
          </View>
          <Text className='dj-m-note'>
            {state.phase === 'uploading' ? `正在上传「${state.fileName}」… ${Math.round(state.fraction * 100)}%` : `已上传，正在逐行检查并保存，请稍候…`}
          </Text>
        </View>
      ) : null}
      {state.phase === 'done' ? (
        <Text className='dj-m-note' data-testid='import-result' style={{ color: '#1d7a3a', fontSize: '32px', margin: '16px 0' }}>
          导入成功：共 {state.total} 人，新增 {state.inserted} 人，更新 {state.updated} 人。
        </Text>
      ) : null}
      {state.phase === 'failed' ? (
        <View data-testid='import-errors'>
          <Text className='dj-m-error' style={{ fontSize: '32px', margin: '16px 0' }}>
            {state.message}
          </Text>
          <View className='dj-m-issues'>
            {state.issues.map((i, n) => (
              <View key={n} className='dj-m-issue' data-testid='import-issue'>
                <Text className='dj-m-issue__where'>
                  第{i.row}行{i.column ? ` · ${i.column}` : ''}
                </Text>
                <Text>{i.message}</Text>
              </View>
            ))}
          </View>
        </View>
      ) : null}
      <ConsentTick on={basisConfirmed} text={IMPORT_BASIS_TEXT} onToggle={() => setBasisConfirmed((v) => !v)} testId='import-basis' />
      <View className='dj-m-actions'>
        <Button type='primary' size='large' loading={busy} disabled={busy} onClick={() => void start()} data-testid='import-start'>
          {busy ? '正在导入…' : '选择文件并导入'}
        </Button>
      </View>
    </Card>
  )
}

function ExportCard({ isStaff }: { isStaff: boolean }) {
  const [busy, setBusy] = useState<string | null>(null)
  const [message, setMessage] = useState<string | null>(null)
  const download = async (kind: 'template' | 'masked' | 'full') => {
    if (kind === 'full') {
      const ok = await Taro.showModal({
        title: '完整导出',
        content: '完整导出包含全部身份证号和手机号，属于敏感个人信息，本次导出将记入审计日志。请妥善保管文件。',
        confirmText: '导出',
        confirmColor: '#C8161D',
      })
      if (!ok.confirm) return
    }
    setBusy(kind)
    setMessage(null)
    try {
      const path = kind === 'template' ? '/api/members/import-template' : `/api/members/export${kind === 'full' ? '?full=1' : ''}`
      const name = await downloadFile(path, kind === 'template' ? '党员花名册导入模板.xlsx' : '党员花名册.xlsx')
      setMessage(`已下载：${name}`)
    } catch (e) {
      setMessage(errorMessage(e))
    } finally {
      setBusy(null)
    }
  }
  return (
    <Card title='下载' testId='export-card'>
      <View className='dj-m-actions' style={{ flexDirection: 'column' }}>
        <Button size='large' block loading={busy === 'template'} onClick={() => void download('template')} data-testid='download-template'>
          下载导入模板
        </Button>
        <Button size='large' block loading={busy === 'masked'} onClick={() => void download('masked')} data-testid='export-masked'>
          导出花名册（身份证号隐藏中间位）
        </Button>
        {isStaff ? (
          <Button type='primary' size='large' block loading={busy === 'full'} onClick={() => void download('full')} data-testid='export-full'>
            完整导出（记入审计日志）
          </Button>
        ) : null}
      </View>
      {message ? (
        <Text className='dj-m-note' data-testid='export-message' style={{ marginTop: '16px' }}>
          {message}
        </Text>
      ) : null}
    </Card>
  )
}

function ImportExport({ me }: { me: MeResponse }) {
  if (process.env.TARO_ENV !== 'h5') {
    return (
      <Card title='请在电脑上操作' accent>
        <Text className='dj-m-note'>Excel 导入导出请在电脑浏览器中打开管理后台办理。</Text>
      </Card>
    )
  }
  if (me.account.role !== 'staff' && me.account.role !== 'secretary') {
    return (
      <Card title='管理功能'>
        <Text className='dj-m-note'>仅支部书记和党委工作人员可用</Text>
      </Card>
    )
  }
  return (
    <>
      {me.account.role === 'staff' ? <ImportCard /> : null}
      <ExportCard isStaff={me.account.role === 'staff'} />
    </>
  )
}

export default function ImportExportPage() {
  return (
    <SignedInPage>
      {(me) => <ImportExport me={me} />}
    </SignedInPage>
  )
}
