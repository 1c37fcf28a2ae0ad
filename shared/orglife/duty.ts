/**
 * 党课 duty (issue 20.4): the committee's plan asks each 班子成员 and branch secretary to give
 * at least a set number of 党课 a year at the villages they are assigned to (所包村组); the number is
 * the township's setting `lectureQuotaPerYear`. A 党课 counts for its speaker (a roster entry) only:
 * held in the year, at one of their assigned villages. One given elsewhere is shown apart, not counted.
 */
import type { IsoDate } from '../calendar.js';
import type { MeetingType } from './rules.js';

/** The plan leaves the number blank ("*次"): two a year until the township sets its own. */
export const DEFAULT_LECTURE_QUOTA = 2;
export const MAX_LECTURE_QUOTA = 12;
/** Villages one leader may be assigned: a guard against a mistaken "select all", not a rule of the plan. */
export const MAX_ASSIGNED_VILLAGES = 20;

export interface LectureRecord {
  type: MeetingType;
  day: IsoDate;
  organizationId: number;
  speakerMemberId: number | null;
}

export interface LectureProgress {
  /** 党课 given this year at an assigned village: what the quota counts. */
  delivered: number;
  /** 党课 given this year at other branches: shown, not counted. */
  elsewhere: number;
  quota: number;
  met: boolean;
}

/** One leader's progress in the year from the township's meeting records. */
export function lectureProgress(leaderMemberId: number, villages: readonly number[], lectures: readonly LectureRecord[], year: number, quota: number): LectureProgress {
  const assigned = new Set(villages);
  const own = lectures.filter((l) => l.type === 'party_lecture' && l.speakerMemberId === leaderMemberId && Number(l.day.slice(0, 4)) === year);
  const delivered = own.filter((l) => assigned.has(l.organizationId)).length;
  return { delivered, elsewhere: own.length - delivered, quota, met: delivered >= quota };
}

export interface OwnBranchAttendance {
  /** Meetings of their own branch this year at which they were expected (应到). */
  expected: number;
  /** …and at which they were present (实到). */
  attended: number;
}

/** 双重组织生活: a leader also takes part, as an ordinary member, in their own branch's meetings. */
export function ownBranchAttendance(marks: ReadonlyArray<{ status: string }>): OwnBranchAttendance {
  return { expected: marks.length, attended: marks.filter((m) => m.status === 'present').length };
}
