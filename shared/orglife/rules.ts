/**
 * Organizational life (三会一课, 主题党日, 组织生活会, 民主评议, 谈心谈话): the stored
 * codes with their labels, and the due engine. Pure: no I/O, every day is an
 * Asia/Shanghai calendar day (shared/calendar.ts), so "the month ends" means the
 * Shanghai midnight after its last day.
 */
import { addDays, daysInMonth, formatIsoDate, parseIsoDate, type IsoDate } from '../calendar.js';
import type { Settings } from '../settings.js';

// ---------------------------------------------------------------- codes and labels

export const meetingTypes = ['general_assembly', 'branch_committee', 'group_meeting', 'party_lecture', 'party_day', 'life_meeting', 'other'] as const;
export type MeetingType = (typeof meetingTypes)[number];
export const MEETING_TYPE_LABELS: Record<MeetingType, string> = {
  general_assembly: '支部党员大会',
  branch_committee: '支部委员会',
  group_meeting: '党小组会',
  party_lecture: '党课',
  party_day: '主题党日',
  life_meeting: '组织生活会',
  other: '其他',
};

export const attendanceStatuses = ['present', 'excused', 'absent'] as const;
export type AttendanceStatus = (typeof attendanceStatuses)[number];
export const ATTENDANCE_LABELS: Record<AttendanceStatus, string> = { present: '实到', excused: '请假', absent: '缺席' };

export const leaveReasons = ['sick', 'migrant_work', 'personal', 'other'] as const;
export type LeaveReason = (typeof leaveReasons)[number];
export const LEAVE_REASON_LABELS: Record<LeaveReason, string> = { sick: '病假', migrant_work: '外出务工', personal: '事假', other: '其他' };

export const appraisalGrades = ['excellent', 'qualified', 'basically_qualified', 'unqualified'] as const;
export type AppraisalGrade = (typeof appraisalGrades)[number];
export const APPRAISAL_GRADE_LABELS: Record<AppraisalGrade, string> = {
  excellent: '优秀',
  qualified: '合格',
  basically_qualified: '基本合格',
  unqualified: '不合格',
};

/** 优秀 is at most one third of those assessed (the database enforces it too: a trigger under a row lock). */
export function excellentAllowed(excellent: number, assessed: number): boolean {
  return excellent * 3 <= assessed;
}

/** Types whose meeting usually carries study, so the form ticks "计入学时" for them by default. */
export const STUDY_BEARING_BY_DEFAULT: readonly MeetingType[] = ['party_lecture', 'party_day'];

/** A meeting credits at most a full day (8 学时). */
export const MEETING_MAX_STUDY_MINUTES = 8 * 60;

// ---------------------------------------------------------------- 学时

/** 《党员教育管理工作条例》: 32 学时 a year for members, 56 for branch secretaries and committee members. */
export const STUDY_HOURS_MEMBER = 32;
export const STUDY_HOURS_OFFICER = 56;

/** 1 hour = 1 学时 (half a day = 4 学时): minutes shown as 学时 with one decimal. */
export function studyHoursOf(minutes: number): number {
  return Math.round((minutes / 60) * 10) / 10;
}

export function requiredStudyHours(officer: boolean): number {
  return officer ? STUDY_HOURS_OFFICER : STUDY_HOURS_MEMBER;
}

export function meetsStudyHours(minutes: number, officer: boolean): boolean {
  return minutes >= requiredStudyHours(officer) * 60;
}

/** The care list (below the yearly figure) is shown in the year's last quarter, when there is still time to help. */
export function studyCareListOpen(today: IsoDate): boolean {
  return Number(today.slice(5, 7)) >= 10;
}

// ---------------------------------------------------------------- settings

export const dueKinds = [
  'branch_committee',
  'group_meeting',
  'general_assembly',
  'party_lecture',
  'party_day',
  'life_meeting',
  'appraisal',
  'talks',
] as const;
export type DueKind = (typeof dueKinds)[number];
export const DUE_KIND_LABELS: Record<DueKind, string> = {
  branch_committee: '支委会',
  group_meeting: '党小组会',
  general_assembly: '支部党员大会',
  party_lecture: '党课',
  party_day: '主题党日',
  life_meeting: '组织生活会',
  appraisal: '民主评议党员',
  talks: '谈心谈话',
};

export const frequencies = ['monthly', 'quarterly', 'yearly'] as const;
export type Frequency = (typeof frequencies)[number];
export const FREQUENCY_LABELS: Record<Frequency, string> = { monthly: '每月', quarterly: '每季度', yearly: '每年' };

/** 《中国共产党支部工作条例（试行）》's frequencies; a township may ask for more (settings `orglifeFrequencies`). */
export const DEFAULT_FREQUENCIES: Record<DueKind, Frequency> = {
  branch_committee: 'monthly',
  group_meeting: 'monthly',
  general_assembly: 'quarterly',
  party_lecture: 'quarterly',
  party_day: 'monthly',
  life_meeting: 'yearly',
  appraisal: 'yearly',
  talks: 'yearly',
};

export const DEFAULT_PARTY_DAY = 10;
export const DEFAULT_DUE_SOON_DAYS = 5;

export interface OrglifeSettings {
  frequencies: Record<DueKind, Frequency>;
  /** 主题党日's fixed day of the month (1–28, so every month has it). */
  partyDayOfMonth: number;
  /** "即将到期" this many days before a period ends. */
  dueSoonDays: number;
}

/** The organizational-life part of the township's effective settings (shared/settings.ts resolves and bounds them). */
export function orglifeSettings(s: Pick<Settings, 'orglifeFrequencies' | 'partyDayOfMonth' | 'orglifeDueSoonDays'>): OrglifeSettings {
  return { frequencies: { ...s.orglifeFrequencies }, partyDayOfMonth: s.partyDayOfMonth, dueSoonDays: s.orglifeDueSoonDays };
}

// ---------------------------------------------------------------- periods

export interface Period {
  frequency: Frequency;
  /** 2026-06, 2026-Q2, 2026 */
  key: string;
  label: string;
  start: IsoDate;
  end: IsoDate;
}

const pad2 = (n: number) => String(n).padStart(2, '0');

export function periodOf(frequency: Frequency, day: IsoDate): Period {
  const p = parseIsoDate(day);
  if (!p) throw new RangeError(`not a date: ${day}`);
  if (frequency === 'monthly') {
    return { frequency, key: `${p.year}-${pad2(p.month)}`, label: `${p.year}年${p.month}月`, start: formatIsoDate({ ...p, day: 1 }), end: formatIsoDate({ ...p, day: daysInMonth(p.year, p.month) }) };
  }
  if (frequency === 'quarterly') {
    const q = Math.ceil(p.month / 3);
    const last = q * 3;
    return {
      frequency,
      key: `${p.year}-Q${q}`,
      label: `${p.year}年第${'一二三四'[q - 1]}季度`,
      start: formatIsoDate({ year: p.year, month: last - 2, day: 1 }),
      end: formatIsoDate({ year: p.year, month: last, day: daysInMonth(p.year, last) }),
    };
  }
  return { frequency, key: `${p.year}`, label: `${p.year}年`, start: `${p.year}-01-01`, end: `${p.year}-12-31` };
}

/** The periods of a year up to (and including) the one `today` falls in. */
export function periodsOfYearUntil(frequency: Frequency, year: number, today: IsoDate): Period[] {
  const out: Period[] = [];
  let day = `${year}-01-01`;
  while (day.startsWith(String(year)) && day <= today) {
    const p = periodOf(frequency, day);
    out.push(p);
    day = addDays(p.end, 1);
  }
  return out;
}

// ---------------------------------------------------------------- rest days

/** Fixed-date public holidays (元旦, 劳动节, 国庆节); the lunar ones move and are left to the secretary's judgement. */
const FIXED_HOLIDAYS: ReadonlyArray<readonly [number, number, number]> = [
  [1, 1, 1],
  [5, 1, 5],
  [10, 1, 7],
];

/** Why a day is a rest day, or null: shown beside a fixed 主题党日 so the secretary can plan around it. */
export function restDayReason(day: IsoDate): 'weekend' | 'holiday' | null {
  const p = parseIsoDate(day);
  if (!p) return null;
  if (FIXED_HOLIDAYS.some(([m, from, to]) => p.month === m && p.day >= from && p.day <= to)) return 'holiday';
  const weekday = new Date(Date.UTC(p.year, p.month - 1, p.day)).getUTCDay();
  return weekday === 0 || weekday === 6 ? 'weekend' : null;
}

/**
 * The month's 主题党日 day. The township fixes the day; it stays that day on a
 * weekend or holiday (village members are often free then, and the plan calls
 * it a fixed day), and a 主题党日 held on any day of the month still counts.
 */
export function partyDayIn(period: Period, dayOfMonth: number): { day: IsoDate; restDay: 'weekend' | 'holiday' | null } {
  const day = `${period.start.slice(0, 8)}${pad2(dayOfMonth)}`;
  return { day, restDay: restDayReason(day) };
}

/**
 * The day a branch was set up (成立日期): the branch row's `settings.establishedOn`
 * when recorded, else the day it was entered into the system. Periods that began
 * before it are not asked of the branch.
 */
export function branchEstablishedOn(settings: Record<string, unknown> | null | undefined, enteredOn: IsoDate): IsoDate {
  const v = settings?.establishedOn;
  return typeof v === 'string' && parseIsoDate(v) ? v : enteredOn;
}
