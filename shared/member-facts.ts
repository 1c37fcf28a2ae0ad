/**
 * The facts of one Party member's record and the rules that bind them, in one
 * place. Every path that writes a member (the registration form, staff edits,
 * the Excel import, 转入, the approval of a registration, the demo seed) calls
 * `memberFactIssues`, so none of them can let through what another refuses.
 *
 * - 身份证号 agrees with 性别 and 出生日期 (GB 11643: birth date in digits 7–14, odd 17th digit = 男).
 * - 入党 at 18 or older (《中国共产党发展党员工作细则》), on the branch meeting's day.
 * - 预备期: one calendar year from 入党日期 (29 Feb → 28 Feb of the next year), extendable once
 *   by 6–12 months by the branch meeting; 转正日期 is the day it ends, never earlier.
 * - Dates in order (出生 < 入党 < 转正) and none after today (the Asia/Shanghai day).
 * - 取消预备党员资格 is a status of a 预备党员 only (a 正式党员 leaves by other decisions).
 */
import { addMonths, addYears, isIsoDate, wholeYearsBetween, type IsoDate } from './calendar.js';
import { FULL_MEMBER, GENDER_LABELS, genders, MEMBER_STATUS_LABELS, PROBATION_CANCELLED, PROBATIONARY_MEMBER, type MemberCategory } from './common.js';
import type { FieldIssue } from './errors.js';
import { checkIdNumber } from './idcard.js';

export const MINIMUM_JOINING_AGE = 18;

/** 《中国共产党章程》第七条: the 预备期 may be extended once, by no less than six months and no more than a year. */
export const PROBATION_EXTENSION_MIN_MONTHS = 6;
export const PROBATION_EXTENSION_MAX_MONTHS = 12;

/**
 * The last day of the 预备期, which is also the 转正日期 of a member confirmed on time.
 * One calendar year from 入党日期 (a 29 February admission ends on 28 February), then the
 * extension's months counted from that day (month ends clamp the same way), if one was decided.
 */
export function probationEndsAt(joinedAt: IsoDate, extensionMonths?: number | null): IsoDate {
  const oneYear = addYears(joinedAt, 1);
  return extensionMonths ? addMonths(oneYear, extensionMonths) : oneYear;
}

/** The earliest 转正日期 the rules allow: the day the 预备期 (with its extension) ends. */
export const earliestConfirmationDate = probationEndsAt;

/**
 * A 预备党员 is flagged for the secretary when their 预备期 ended more than this
 * many months ago and no 转正 was recorded. Six months: the Party Constitution
 * allows one extension of 6–12 months, so anything later than the shortest
 * extension deserves a look (转正, 延长预备期 or 取消预备党员资格 must be decided).
 */
export const PROBATION_OVERDUE_MONTHS = 6;

export function isProbationOverdue(category: MemberCategory, joinedAt: IsoDate, today: IsoDate, extensionMonths?: number | null): boolean {
  if (category !== PROBATIONARY_MEMBER || !isIsoDate(joinedAt)) return false;
  return addMonths(probationEndsAt(joinedAt, extensionMonths), PROBATION_OVERDUE_MONTHS) < today;
}

/** The facts as typed (strings may be invalid: the field schemas report those; these rules skip what they cannot read). */
export interface MemberFacts {
  gender: string;
  birthDate: string;
  idNumber: string;
  category: string;
  joinedAt: string;
  confirmedAt?: string | null;
  /** 延长预备期的月数 (6–12) and the day the branch meeting decided it; both or neither. */
  probationExtensionMonths?: number | null;
  probationExtendedOn?: string | null;
  /** 党籍状态, where the path writes it (the roster row): checked against the category. */
  status?: string | null;
}

export type MemberFactField = 'gender' | 'birthDate' | 'idNumber' | 'category' | 'joinedAt' | 'confirmedAt' | 'probationExtensionMonths' | 'probationExtendedOn';

const date = (v: string | null | undefined): IsoDate | null => (v && isIsoDate(v) ? v : null);

/**
 * Every rule across the fields of a member record, as `{ path: [field], message }`.
 * `today` is the Asia/Shanghai day from the server's clock; the zod contracts have no
 * clock and pass `null` (the server always runs it again with the day).
 */
export function memberFactIssues(v: MemberFacts, today: IsoDate | null): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const add = (field: MemberFactField, message: string) => issues.push({ path: [field], message });
  const birthDate = date(v.birthDate);
  const joinedAt = date(v.joinedAt);
  const confirmedAt = v.confirmedAt ? date(v.confirmedAt) : null;

  const id = checkIdNumber(v.idNumber ?? '');
  if (id.ok) {
    if (birthDate && id.info.birthDate !== birthDate) {
      add('idNumber', `身份证号中的出生日期（${id.info.birthDate}）与填写的出生日期不一致`);
    }
    if ((genders as readonly string[]).includes(v.gender) && id.info.gender !== v.gender) {
      add('gender', `身份证号显示性别为“${GENDER_LABELS[id.info.gender]}”，与填写的性别不一致`);
    }
  }

  if (v.category === FULL_MEMBER && !v.confirmedAt) add('confirmedAt', '正式党员请填写转正日期');
  if (v.category === PROBATIONARY_MEMBER && v.confirmedAt) add('confirmedAt', '预备党员尚未转正，转正日期应留空');
  // Reported on the category (the field a form shows beside the status): a 正式党员 cannot lose a 预备期 they no longer have.
  if (v.status === PROBATION_CANCELLED && v.category !== PROBATIONARY_MEMBER) {
    add('category', `“${MEMBER_STATUS_LABELS[PROBATION_CANCELLED]}”只适用于预备党员`);
  }

  if (birthDate && joinedAt && (joinedAt <= birthDate || wholeYearsBetween(birthDate, joinedAt) < MINIMUM_JOINING_AGE)) {
    add('joinedAt', `入党时应年满${MINIMUM_JOINING_AGE}周岁，请核对入党日期和出生日期`);
  }

  const months = v.probationExtensionMonths ?? null;
  const extendedOn = v.probationExtendedOn || null;
  const extensionValid = months === null || (Number.isInteger(months) && months >= PROBATION_EXTENSION_MIN_MONTHS && months <= PROBATION_EXTENSION_MAX_MONTHS);
  if (!extensionValid) {
    add('probationExtensionMonths', `预备期只能延长一次，时间为${PROBATION_EXTENSION_MIN_MONTHS}至${PROBATION_EXTENSION_MAX_MONTHS}个月`);
  } else if (months !== null && !extendedOn) {
    add('probationExtendedOn', '请填写支部大会决定延长预备期的日期');
  } else if (months === null && extendedOn) {
    add('probationExtensionMonths', `请填写延长预备期的月数（${PROBATION_EXTENSION_MIN_MONTHS}至${PROBATION_EXTENSION_MAX_MONTHS}个月）`);
  }

  if (joinedAt && extensionValid) {
    const ends = probationEndsAt(joinedAt, months);
    if (confirmedAt && confirmedAt < ends) {
      const why = months ? `入党之日起一年，又延长${months}个月` : '入党之日起满一年';
      add('confirmedAt', `不能早于预备期届满之日（${why}），最早可于 ${ends} 转正`);
    }
    const decided = date(extendedOn);
    if (months !== null && decided && (decided <= joinedAt || decided > ends)) {
      add('probationExtendedOn', `延长预备期的决定日期应在入党日期（${joinedAt}）之后、延长后的预备期届满（${ends}）之前`);
    }
  }

  if (today) {
    if (birthDate && birthDate > today) add('birthDate', '出生日期不能晚于今天');
    if (joinedAt && joinedAt > today) add('joinedAt', '入党日期不能晚于今天');
    if (confirmedAt && confirmedAt > today) add('confirmedAt', '转正日期不能晚于今天');
    const decided = date(extendedOn);
    if (decided && decided > today) add('probationExtendedOn', '延长预备期的决定日期不能晚于今天');
  }
  return issues;
}

/**
 * The same rules for a form without a 出生日期 field (转入): the birth date is the
 * one in the ID number, and what is wrong with it is reported on the ID number.
 */
export function memberFactIssuesFromId(v: Omit<MemberFacts, 'birthDate'>, today: IsoDate | null): FieldIssue[] {
  const id = checkIdNumber(v.idNumber ?? '');
  const birthDate = id.ok ? id.info.birthDate : '';
  return memberFactIssues({ ...v, birthDate }, today).map((issue) =>
    issue.path[0] === 'birthDate' ? { path: ['idNumber'], message: `身份证号中的${issue.message}` } : issue,
  );
}
