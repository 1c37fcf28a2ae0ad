/** 政治生日 endpoint contracts: my birthday, sign-in, the month list, ceremonies, the reminder job. */
import { z } from 'zod';
import { isoDate, isoMonth, text, urlId } from '../common.js';
import { endpoint, type ResponseOf } from '../http.js';
import { medalStates } from '../medals.js';
import { birthdayWindows } from './rules.js';
import { queuedClaim } from '../queued-writes.js';

// ---------------------------------------------------------------- contracts

export const signInModes = ['individual', 'ceremony'] as const;
export type SignInMode = (typeof signInModes)[number];
export const SIGN_IN_MODE_LABELS: Record<SignInMode, string> = { individual: '个人签到', ceremony: '集体过政治生日' };

export const signInRecord = z.object({
  id: z.number().int(),
  year: z.number().int(),
  /** 入党N周年 of that year. */
  years: z.number().int(),
  signedAt: z.string(),
  mode: z.enum(signInModes),
  reflection: z.string().nullable(),
  /** 离线补传: signed offline, arrived later. */
  offlineLate: z.boolean(),
  ceremony: z.object({ id: z.number().int(), heldOn: isoDate, topic: z.string() }).nullable(),
});
export type SignInRecord = z.infer<typeof signInRecord>;

const occasion = z.object({
  year: z.number().int(),
  anniversary: isoDate,
  years: z.number().int(),
  opens: isoDate,
  closes: isoDate,
});

export const myBirthday = endpoint({
  method: 'GET',
  path: '/api/birthdays/me',
  summary: '我的政治生日：今天是否在签到时间内、下一个政治生日、党龄、历年签到与感言',
  access: 'member',
  ownership: 'self',
  response: z.object({
    today: isoDate,
    window: z.enum(birthdayWindows),
    member: z.object({
      id: z.number().int(),
      name: z.string(),
      organizationName: z.string(),
      joinedAt: isoDate,
      confirmedAt: isoDate.nullable(),
    }),
    /** Whole years since 入党日期. */
    yearsSinceJoining: z.number().int(),
    /** 党龄, from 转正日期; null for a 预备党员. */
    partyStandingYears: z.number().int().nullable(),
    isToday: z.boolean(),
    /** The open window (sign-in possible, or already done this year). */
    open: occasion.nullable(),
    signedInThisWindow: z.boolean(),
    upcoming: occasion,
    next: occasion,
    daysUntilNext: z.number().int(),
    signIns: z.array(signInRecord),
    /** The WeChat subscribe-message template the app asks permission for, when the township set one. */
    reminderTemplateId: z.string().nullable(),
  }),
  idempotent: true,
});
export type MyBirthday = ResponseOf<typeof myBirthday>;

export const signIn = endpoint({
  method: 'POST',
  path: '/api/birthdays/sign-in',
  summary: '政治生日签到（重温入党誓词）；同一年只记一次，重复提交返回原记录',
  access: 'member',
  ownership: 'self',
  // One per member and year already; a queued sign-in sends a key so its replay answers exactly as the first time.
  idempotencyKey: 'optional',
  body: z
    .object({
      oathConfirmed: z.literal(true, { error: '请先重温入党誓词，并勾选“我已重温入党誓词”' }),
      reflection: text(1000, '感言').optional(),
      /** Signed offline and queued: counts for the day it was made, within the bound (shared/queued-writes.ts). */
      queued: queuedClaim.optional(),
    })
    .strict(),
  response: z.object({ signIn: signInRecord, alreadySignedIn: z.boolean() }),
  idempotent: true,
});

export const branchBirthdayRow = z.object({
  memberId: z.number().int(),
  name: z.string(),
  organizationId: z.number().int(),
  organizationName: z.string(),
  joinedAt: isoDate,
  anniversary: isoDate,
  /** 入党N周年 in that year. */
  years: z.number().int(),
  partyStandingYears: z.number().int().nullable(),
  milestone: z.boolean(),
  /** Eligible for this year's 光荣在党50年 medal (党龄 50 by 1 July), or already given it. */
  medalEligible: z.boolean(),
  /** 已颁发 / 待颁发; null when not (yet) eligible. */
  medal: z.enum(medalStates).nullable(),
  signedIn: z.boolean(),
  signedAt: z.string().nullable(),
  mode: z.enum(signInModes).nullable(),
});
export type BranchBirthdayRow = z.infer<typeof branchBirthdayRow>;

export const monthList = endpoint({
  method: 'GET',
  path: '/api/birthdays',
  summary: '某月过政治生日的党员（书记：本支部；党委：全镇或指定支部），含入党年数、是否已签到、逢十周年',
  access: 'officer',
  ownership: 'branch',
  query: z
    .object({
      month: isoMonth.optional(),
      organizationId: urlId.optional(),
    })
    .strict(),
  response: z.object({
    month: isoMonth,
    organizationId: z.number().int().nullable(),
    members: z.array(branchBirthdayRow),
    total: z.number().int(),
    signed: z.number().int(),
  }),
  idempotent: true,
});

export const ceremony = endpoint({
  method: 'POST',
  path: '/api/birthdays/ceremonies',
  summary: '支部书记记录集体过政治生日（集体重温入党誓词），勾选的本支部党员逐一签到',
  access: 'officer',
  ownership: 'branch',
  idempotencyKey: 'required',
  body: z
    .object({
      heldOn: isoDate,
      topic: text(60, '活动主题').min(1, '请填写活动主题'),
      place: text(60, '地点').optional(),
      attendeeMemberIds: z
        .array(z.number().int().positive().max(2_147_483_647))
        .min(1, '请至少勾选一名参加的党员')
        .max(300, '一次最多记录300人')
        .refine((ids) => new Set(ids).size === ids.length, { message: '参加人员有重复' }),
      oathConfirmed: z.literal(true, { error: '请确认已集体重温入党誓词' }),
      note: text(1000, '备注').optional(),
    })
    .strict(),
  response: z.object({
    ceremonyId: z.number().int(),
    heldOn: isoDate,
    signedIn: z.array(z.number().int()),
    alreadySignedIn: z.array(z.number().int()),
  }),
  idempotent: true,
});

// 光荣在党50年: the list and the awards are in shared/medals.ts.

const reminderRun = z.object({
  today: isoDate,
  queued: z.number().int(),
  attempted: z.number().int(),
  sent: z.number().int(),
  failed: z.number().int(),
  sender: z.enum(['wechat', 'log']),
});
export type ReminderRun = z.infer<typeof reminderRun>;

export const runReminders = endpoint({
  method: 'POST',
  path: '/api/cron/birthday-reminders',
  summary: '每日任务：为政治生日签到今天开放的党员发送微信订阅消息（每人每年一次，失败重试）',
  access: 'cron',
  ownership: 'none',
  response: reminderRun,
});

/** Vercel Cron calls with GET and `Authorization: Bearer $CRON_SECRET`. */
export const runRemindersFromCron = endpoint({
  method: 'GET',
  path: '/api/cron/birthday-reminders',
  summary: '同上（Vercel Cron 以 GET 调用）',
  access: 'cron',
  ownership: 'none',
  response: reminderRun,
});
