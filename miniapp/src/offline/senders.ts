/** How each kind of queued write is sent, and the words for what the server recorded. */
import { signIn as birthdaySignIn } from '@shared/birthdays'
import { OFFLINE_LATE_LABEL } from '@shared/queued-writes'
import { checkIn, finishSession, formatMinutes, signIn as eventSignIn } from '@shared/study'
import { api } from '@/api'
import type { QueuedWrite } from './queue'
import { noteServerTime } from './clock'

const dayCn = (day: string) => `${Number(day.slice(5, 7))}月${Number(day.slice(8, 10))}日`
const lateNote = (late: boolean) => (late ? ` · ${OFFLINE_LATE_LABEL}` : '')

export async function sendQueued(write: QueuedWrite): Promise<string> {
  const r = write.request
  const idempotencyKey = write.key
  switch (r.kind) {
    case 'studyCheckIn': {
      const entry = await api(checkIn, { body: r.body, idempotencyKey })
      noteServerTime(entry.createdAt)
      return `已记入 ${dayCn(entry.day)} ${formatMinutes(entry.minutes)}${lateNote(entry.offlineLate)}`
    }
    case 'timerFinish': {
      const result = await api(finishSession, { params: r.params, body: r.body, idempotencyKey })
      const minutes = result.session.creditedMinutes ?? 0
      const late = result.entries.some((e) => e.offlineLate)
      return minutes > 0 ? `计时已结束，已记入 ${formatMinutes(minutes)}${lateNote(late)}` : '计时已结束，学习不足1分钟，未计入'
    }
    case 'eventSignIn': {
      const result = await api(eventSignIn, { params: r.params, body: r.body, idempotencyKey })
      noteServerTime(result.entry.createdAt)
      return result.alreadySignedIn
        ? '您已签到过本次学习'
        : `签到成功，记入 ${formatMinutes(result.entry.minutes)}：${result.entry.topic}${lateNote(result.entry.offlineLate)}`
    }
    case 'birthdaySignIn': {
      const result = await api(birthdaySignIn, { body: r.body, idempotencyKey })
      return `政治生日已签到 · 入党${result.signIn.years}周年${lateNote(result.signIn.offlineLate)}`
    }
  }
}
