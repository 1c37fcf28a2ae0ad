/**
 * The due engine: for one branch and one year, what organizational life is
 * due, done, overdue or due soon, period by period. Pure, so the calendar page,
 * the township view, the reports and the (future) 事前提醒 all read the same answer.
 */
import { daysBetween, type IsoDate } from '../calendar.js';
import {
  partyDayIn,
  periodsOfYearUntil,
  periodOf,
  type DueKind,
  type MeetingType,
  type OrglifeSettings,
  type Period,
  dueKinds,
} from './rules.js';

export const dueStatuses = ['done', 'overdue', 'due_soon', 'due'] as const;
export type DueStatus = (typeof dueStatuses)[number];
export const DUE_STATUS_LABELS: Record<DueStatus, string> = { done: '已完成', overdue: '已逾期', due_soon: '即将到期', due: '待完成' };

export interface DueItem {
  kind: DueKind;
  period: Period;
  status: DueStatus;
  /** Meetings (or completed appraisals, or talks) counted in the period. */
  doneCount: number;
  /** 主题党日 only: the township's fixed day in this month, and whether it is a rest day. */
  plannedDay: IsoDate | null;
  restDay: 'weekend' | 'holiday' | null;
}

export interface TalkMember {
  memberId: number;
  name: string;
  /** 入党日期 (or the day the member joined the branch, when known). */
  joinedAt: IsoDate;
  /** The latest 谈心谈话 with the member in the year, if any. */
  talkedOn: IsoDate | null;
}

export interface DueInput {
  today: IsoDate;
  year: number;
  settings: OrglifeSettings;
  /** The day the branch was set up: a period that began before it is not asked of the branch. */
  branchCreatedOn: IsoDate;
  meetings: ReadonlyArray<{ type: MeetingType; day: IsoDate }>;
  /** The day the year's 民主评议 was completed (every member graded), if it was. */
  appraisalCompletedOn: IsoDate | null;
  members: readonly TalkMember[];
}

export interface DueResult {
  items: DueItem[];
  /** Members due a 谈心谈话 this year whom nobody has talked with yet, in name order. */
  untalked: TalkMember[];
}

/** Which meeting type fulfils which kind (the two lists share codes for the meeting kinds). */
const MEETING_KIND: Partial<Record<DueKind, MeetingType>> = {
  branch_committee: 'branch_committee',
  group_meeting: 'group_meeting',
  general_assembly: 'general_assembly',
  party_lecture: 'party_lecture',
  party_day: 'party_day',
  life_meeting: 'life_meeting',
};

/**
 * A member who joined in the year's last quarter gets their first 谈心谈话 the next
 * year: a talk within weeks of 入党 is the 入党 talk itself, and the yearly round is for those who were there.
 */
export function talkDueInYear(joinedAt: IsoDate, year: number): boolean {
  return joinedAt <= `${year}-09-30`;
}

export function statusOf(period: Period, doneCount: number, today: IsoDate, dueSoonDays: number): DueStatus {
  if (doneCount > 0) return 'done';
  if (today > period.end) return 'overdue';
  return daysBetween(today, period.end) < dueSoonDays ? 'due_soon' : 'due';
}

export function dueItems(input: DueInput): DueResult {
  const { today, year, settings } = input;
  const until = today.startsWith(String(year)) ? today : today > `${year}-12-31` ? `${year}-12-31` : `${year - 1}-12-31`;
  const items: DueItem[] = [];
  const untalked = input.members
    .filter((m) => talkDueInYear(m.joinedAt, year) && !(m.talkedOn && m.talkedOn.startsWith(String(year))))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.memberId - b.memberId));
  const talkDueCount = input.members.filter((m) => talkDueInYear(m.joinedAt, year)).length;

  for (const kind of dueKinds) {
    const frequency = settings.frequencies[kind];
    for (const period of periodsOfYearUntil(frequency, year, until)) {
      if (period.start < input.branchCreatedOn) continue;
      let doneCount: number;
      if (kind === 'appraisal') {
        const on = input.appraisalCompletedOn;
        doneCount = on && on >= period.start && on <= period.end ? 1 : 0;
      } else if (kind === 'talks') {
        // Done when everyone due has had a talk; a branch with nobody due has nothing to do.
        doneCount = talkDueCount === 0 || untalked.length === 0 ? Math.max(1, talkDueCount) : 0;
      } else {
        const type = MEETING_KIND[kind];
        doneCount = input.meetings.filter((m) => m.type === type && m.day >= period.start && m.day <= period.end).length;
      }
      const planned = kind === 'party_day' && frequency === 'monthly' ? partyDayIn(period, settings.partyDayOfMonth) : null;
      items.push({
        kind,
        period,
        status: statusOf(period, doneCount, today, settings.dueSoonDays),
        doneCount,
        plannedDay: planned?.day ?? null,
        restDay: planned?.restDay ?? null,
      });
    }
  }
  return { items, untalked };
}

/** What the secretary's calendar leads with: this month's and this quarter's items, and anything overdue. */
export function currentOrOverdue(items: readonly DueItem[], today: IsoDate): DueItem[] {
  return items.filter((i) => i.status === 'overdue' || (i.period.start <= today && today <= i.period.end));
}

/**
 * Items the message centre would remind the secretary of (事前提醒): due soon and
 * not done. The reminder job calls this per branch; no message is sent here.
 */
export function reminderItems(items: readonly DueItem[]): DueItem[] {
  return items.filter((i) => i.status === 'due_soon');
}

/** The period a kind is in today (for a single "本月/本季度" lookup). */
export function periodNow(kind: DueKind, settings: OrglifeSettings, today: IsoDate): Period {
  return periodOf(settings.frequencies[kind], today);
}
