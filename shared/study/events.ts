/** Collective study events: the contracts for creating them, the sign-in QR code, sign-in and ticking attendees. */
import { z } from 'zod';
import { idParam, isoDate, text, urlId } from '../common.js';
import { endpoint } from '../http.js';
import { studySources, studyWay } from './rules.js';
import { instant, studyEntry, topic } from './member.js';
import { queuedClaim } from '../queued-writes.js';

// ---------------------------------------------------------------- events

export const studyEvent = z.object({
  id: z.number().int(),
  organizationId: z.number().int(),
  organizationName: z.string(),
  way: studyWay,
  topic: z.string(),
  place: z.string(),
  startsAt: z.string(),
  endsAt: z.string(),
  day: isoDate,
  minutes: z.number().int(),
  attendeeCount: z.number().int(),
  /** Whether the caller is credited for it. */
  attended: z.boolean(),
  /** Officers only: who attended and how. */
  attendees: z.array(z.object({ memberId: z.number().int(), name: z.string(), source: z.enum(studySources) })).nullable(),
});
export type StudyEvent = z.infer<typeof studyEvent>;

export const createEvent = endpoint({
  method: 'POST',
  path: '/api/study/events',
  summary: '创建集中学习活动（支部书记：本支部；党委工作人员：全镇或任一支部）',
  access: 'officer',
  ownership: 'branch',
  idempotencyKey: 'required',
  body: z
    .object({
      organizationId: z.number().int().positive().max(2_147_483_647).optional(),
      way: studyWay,
      topic,
      place: text(60, '地点').pipe(z.string().min(1, '请填写地点')),
      startsAt: instant,
      endsAt: instant,
    })
    .strict(),
  response: studyEvent,
  idempotent: true,
});

export const listEvents = endpoint({
  method: 'GET',
  path: '/api/study/events',
  summary: '集中学习活动列表（含签到人数）',
  access: 'member',
  ownership: 'none',
  query: z.object({ organizationId: urlId.optional() }).strict(),
  response: z.object({ events: z.array(studyEvent) }),
  idempotent: true,
});

export const eventQr = endpoint({
  method: 'GET',
  path: '/api/study/events/:id/qr',
  summary: '活动签到二维码（短时有效的签名令牌，页面定时刷新）',
  access: 'officer',
  ownership: 'branch',
  params: idParam,
  /**
   * Outside the sign-in window there is no code, and that is no error: an event set up for later today says
   * when its code opens (the page asks again then), one that is over says so.
   */
  response: z.discriminatedUnion('status', [
    z.object({
      status: z.literal('open'),
      token: z.string(),
      qrText: z.string(),
      /** data:image/png;base64,… (qrcode's toDataURL) */
      qrImage: z.string(),
      expiresAt: z.string(),
      refreshSeconds: z.number().int(),
    }),
    z.object({ status: z.literal('not_open'), opensAt: z.string(), serverNow: z.string() }),
    z.object({ status: z.literal('closed'), closedAt: z.string() }),
  ]),
  idempotent: true,
});

export const signIn = endpoint({
  method: 'POST',
  path: '/api/study/events/:id/sign-in',
  summary: '扫码签到集中学习',
  access: 'member',
  ownership: 'branch',
  idempotencyKey: 'required',
  params: idParam,
  /** `queued`: scanned in a room without signal; the token must have been valid at the bounded claim (shared/queued-writes.ts). */
  body: z.object({ token: z.string().min(20).max(2000), queued: queuedClaim.optional() }).strict(),
  response: z.object({ entry: studyEntry, alreadySignedIn: z.boolean() }),
  idempotent: true,
});

export const tickAttendees = endpoint({
  method: 'POST',
  path: '/api/study/events/:id/attendees',
  summary: '书记勾选参加集中学习的党员（每人每次活动只计一次）',
  access: 'officer',
  ownership: 'branch',
  idempotencyKey: 'required',
  params: idParam,
  body: z
    .object({ memberIds: z.array(z.number().int().positive().max(2_147_483_647)).min(1, '请至少勾选一名党员').max(500) })
    .strict(),
  response: z.object({ minutes: z.number().int(), credited: z.array(z.number().int()), alreadyCredited: z.array(z.number().int()) }),
  idempotent: true,
});
