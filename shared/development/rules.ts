/**
 * 《中国共产党发展党员工作细则》 as dates: for every step, the earliest and the
 * latest day the rules allow, computed from the steps already on record. The
 * server refuses a step before its earliest day (or after a hard limit) and
 * flags one after its latest day; the pages show the same windows. Pure: the
 * 预备期 is shared/member-facts.ts probationEndsAt, the one rule every path uses.
 */
import { addDays, addMonths, addYears, type IsoDate } from '../calendar.js';
import { MINIMUM_JOINING_AGE, PROBATION_EXTENSION_MAX_MONTHS, PROBATION_EXTENSION_MIN_MONTHS, probationEndsAt } from '../member-facts.js';
import { nthWorkingDay, unlistedYears, unlistedYearsNote, type WorkCalendar } from './workdays.js';

export const developmentSteps = [
  'application',
  'talk',
  'activist',
  'activist_review',
  'candidate',
  'political_review',
  'training',
  'committee_review',
  'pre_review',
  'notice',
  'branch_meeting',
  'approval',
  'probation_review',
  'extension',
  'confirmation_meeting',
  'confirmation',
  'cancellation',
] as const;
export type DevelopmentStep = (typeof developmentSteps)[number];

export const STEP_LABELS: Record<DevelopmentStep, string> = {
  application: '递交入党申请书',
  talk: '派人谈话',
  activist: '确定入党积极分子',
  activist_review: '积极分子培养考察',
  candidate: '确定发展对象',
  political_review: '政治审查',
  training: '短期集中培训',
  committee_review: '支委会审查',
  pre_review: '党委预审',
  notice: '公示',
  branch_meeting: '支部大会讨论接收预备党员',
  approval: '党委审批（成为预备党员）',
  probation_review: '预备期考察',
  extension: '延长预备期',
  confirmation_meeting: '支部大会讨论转正',
  confirmation: '党委审批转正',
  cancellation: '取消预备党员资格',
};

/** Township committee's decisions; every other step is the branch's (支部书记). */
export const TOWNSHIP_STEPS: readonly DevelopmentStep[] = ['pre_review', 'approval', 'confirmation', 'cancellation'];
/** Steps that may be recorded more than once. */
export const REPEATABLE_STEPS: readonly DevelopmentStep[] = ['activist_review', 'probation_review'];

export const developmentStages = ['applicant', 'activist', 'candidate', 'probationary', 'full', 'cancelled'] as const;
export type DevelopmentStage = (typeof developmentStages)[number];
export const STAGE_LABELS: Record<DevelopmentStage, string> = {
  applicant: '入党申请人',
  activist: '入党积极分子',
  candidate: '发展对象',
  probationary: '预备党员',
  full: '正式党员',
  cancelled: '已取消资格',
};

const STAGE_AFTER: Record<DevelopmentStep, DevelopmentStage> = {
  application: 'applicant',
  talk: 'applicant',
  activist: 'activist',
  activist_review: 'activist',
  candidate: 'candidate',
  political_review: 'candidate',
  training: 'candidate',
  committee_review: 'candidate',
  pre_review: 'candidate',
  notice: 'candidate',
  branch_meeting: 'candidate',
  approval: 'probationary',
  probation_review: 'probationary',
  extension: 'probationary',
  confirmation_meeting: 'probationary',
  confirmation: 'full',
  cancellation: 'cancelled',
};

/** The statutory numbers, named once. */
export const TALK_WITHIN_MONTHS = 1;
export const ACTIVIST_TRAINING_YEARS = 1;
export const REVIEW_EVERY_MONTHS = 6;
export const TRAINING_MIN_DAYS = 3;
export const TRAINING_MIN_HOURS = 24;
export const PRE_REVIEW_WITHIN_MONTHS = 1;
export const NOTICE_WORKING_DAYS = 5;
export const APPROVAL_WITHIN_MONTHS = 3;
export const APPROVAL_AT_MOST_MONTHS = 6;

export interface RecordedStep {
  step: DevelopmentStep;
  date: IsoDate;
  /** extension: the months (6–12). */
  months?: number | null;
}

export interface DevelopmentHistory {
  birthDate: IsoDate;
  steps: readonly RecordedStep[];
}

export interface StepWindow {
  step: DevelopmentStep;
  /** Not before this day (the rule below says why). */
  earliest: IsoDate;
  /** Due by this day: later is recorded but flagged. */
  latest: IsoDate | null;
  /** Refused after this day. */
  hardLatest: IsoDate | null;
  /** Plain words for the earliest day's rule. */
  rule: string;
}

/** Steps beside the main path: recorded along it (考察, repeatable) or in place of its end (延长, 取消). */
const SIDE_STEPS: readonly DevelopmentStep[] = [...REPEATABLE_STEPS, 'extension', 'cancellation'];
/** The steps every 入党 passes, in order: the vocabulary's own order, so the two lists cannot drift apart. */
const MAIN_PATH: readonly DevelopmentStep[] = developmentSteps.filter((s) => !SIDE_STEPS.includes(s));

const last = (h: DevelopmentHistory, ...steps: DevelopmentStep[]): RecordedStep | undefined =>
  [...h.steps].filter((s) => steps.includes(s.step)).sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0)).at(-1);
const has = (h: DevelopmentHistory, step: DevelopmentStep) => h.steps.some((s) => s.step === step);

export function stageOf(h: DevelopmentHistory): DevelopmentStage {
  if (has(h, 'cancellation')) return 'cancelled';
  if (has(h, 'confirmation')) return 'full';
  const reached = [...MAIN_PATH].reverse().find((s) => has(h, s));
  return reached ? STAGE_AFTER[reached] : 'applicant';
}

/** 入党日期: the 支部大会's day. */
export function joinedAtOf(h: DevelopmentHistory): IsoDate | null {
  return last(h, 'branch_meeting')?.date ?? null;
}

export function extensionMonthsOf(h: DevelopmentHistory): number | null {
  return last(h, 'extension')?.months ?? null;
}

/** The last working day of a 公示 that starts on `start`. */
export function noticeEndsOn(start: IsoDate, cal: WorkCalendar): IsoDate {
  return nthWorkingDay(start, NOTICE_WORKING_DAYS, cal);
}

const win = (step: DevelopmentStep, earliest: IsoDate, rule: string, latest: IsoDate | null = null, hardLatest: IsoDate | null = null): StepWindow => ({
  step,
  earliest,
  latest,
  hardLatest,
  rule,
});

/** The window of one step given the history, or null when the step is not open now (out of order, already done, closed). */
export function stepWindow(h: DevelopmentHistory, step: DevelopmentStep, cal: WorkCalendar): StepWindow | null {
  const stage = stageOf(h);
  if (stage === 'cancelled' || stage === 'full') return null;
  // A main-path step opens only when every step before it is on record.
  if (MAIN_PATH.includes(step) && MAIN_PATH.find((s) => !has(h, s)) !== step) return null;
  const d = (s: DevelopmentStep) => last(h, s)?.date;
  const joinedAt = joinedAtOf(h);
  const probation = joinedAt && has(h, 'approval') ? probationEndsAt(joinedAt, extensionMonthsOf(h)) : null;
  switch (step) {
    case 'application':
      return win(step, addYears(h.birthDate, MINIMUM_JOINING_AGE), `年满${MINIMUM_JOINING_AGE}周岁方可申请入党`);
    case 'talk': {
      const a = d('application')!;
      return win(step, a, '收到入党申请书后', addMonths(a, TALK_WITHIN_MONTHS));
    }
    case 'activist':
      return win(step, d('talk')!, '谈话之后');
    case 'activist_review': {
      if (stage !== 'activist') return null;
      const prev = last(h, 'activist', 'activist_review')!.date;
      return win(step, addDays(prev, 1), '确定为积极分子之后', addMonths(prev, REVIEW_EVERY_MONTHS));
    }
    case 'candidate':
      return win(step, addYears(d('activist')!, ACTIVIST_TRAINING_YEARS), `经过${ACTIVIST_TRAINING_YEARS}年以上培养教育和考察`);
    case 'political_review':
      return win(step, d('candidate')!, '确定为发展对象之后');
    case 'training':
      return win(step, d('political_review')!, '政治审查之后');
    case 'committee_review':
      return win(step, d('training')!, '短期集中培训之后');
    case 'pre_review': {
      const c = d('committee_review')!;
      return win(step, c, '支委会审查之后', addMonths(c, PRE_REVIEW_WITHIN_MONTHS));
    }
    case 'notice':
      return win(step, d('pre_review')!, '党委预审之后');
    case 'branch_meeting': {
      const start = d('notice')!;
      const end = noticeEndsOn(start, cal);
      // Without the county's list for a year the count is Monday to Friday: the rule says so plainly.
      const note = unlistedYearsNote(unlistedYears(start, end, cal));
      return win(step, addDays(end, 1), `公示满${NOTICE_WORKING_DAYS}个工作日之后${note ? `；${note}` : ''}`);
    }
    case 'approval': {
      const m = d('branch_meeting')!;
      return win(step, m, '支部大会讨论之后', addMonths(m, APPROVAL_WITHIN_MONTHS), addMonths(m, APPROVAL_AT_MOST_MONTHS));
    }
    case 'probation_review':
      if (stage !== 'probationary' || has(h, 'confirmation_meeting') || !joinedAt) return null;
      return win(step, addDays(last(h, 'approval', 'probation_review')!.date, 1), '成为预备党员之后', probation);
    case 'extension':
      if (stage !== 'probationary' || has(h, 'extension') || has(h, 'confirmation_meeting') || !joinedAt || !probation) return null;
      return win(step, addDays(joinedAt, 1), '预备期内', null, probation);
    case 'confirmation_meeting':
      return win(step, probation!, extensionMonthsOf(h) ? '延长的预备期届满' : '预备期满一年');
    case 'confirmation': {
      const m = d('confirmation_meeting')!;
      return win(step, m, '支部大会讨论转正之后', addMonths(m, APPROVAL_WITHIN_MONTHS), addMonths(m, APPROVAL_AT_MOST_MONTHS));
    }
    case 'cancellation':
      if (stage !== 'probationary' || !joinedAt) return null;
      return win(step, addDays(joinedAt, 1), '成为预备党员之后');
  }
}

/** Every step open now, main path first. */
export function openSteps(h: DevelopmentHistory, cal: WorkCalendar): StepWindow[] {
  return developmentSteps.map((s) => stepWindow(h, s, cal)).filter((w): w is StepWindow => w !== null);
}

/** The main-path step that comes next (the one the timeline shows), if any. */
export function nextStep(h: DevelopmentHistory, cal: WorkCalendar): StepWindow | null {
  return openSteps(h, cal).find((w) => MAIN_PATH.includes(w.step)) ?? null;
}

export type StepCheck = { ok: true; late: boolean } | { ok: false; message: string };

export interface StepFacts {
  date: IsoDate;
  months?: number | null;
  trainingDays?: number | null;
  trainingHours?: number | null;
}

/** May `step` be recorded on `facts.date` (no later than `today`)? The message names the step and the day. */
export function checkStep(h: DevelopmentHistory, step: DevelopmentStep, facts: StepFacts, cal: WorkCalendar, today: IsoDate): StepCheck {
  const label = STEP_LABELS[step];
  const w = stepWindow(h, step, cal);
  if (!w) {
    const next = nextStep(h, cal);
    return { ok: false, message: `现在不能登记“${label}”${next ? `，下一步是“${STEP_LABELS[next.step]}”` : ''}` };
  }
  if (facts.date > today) return { ok: false, message: `“${label}”的日期不能晚于今天` };
  if (facts.date < w.earliest) return { ok: false, message: `“${label}”最早可于 ${w.earliest} 进行（${w.rule}）` };
  if (w.hardLatest && facts.date > w.hardLatest) return { ok: false, message: `“${label}”最迟应于 ${w.hardLatest} 前完成，已超过期限` };
  if (step === 'training') {
    const days = facts.trainingDays ?? 0;
    const hours = facts.trainingHours ?? 0;
    if (days < TRAINING_MIN_DAYS && hours < TRAINING_MIN_HOURS) {
      return { ok: false, message: `短期集中培训时间一般不少于${TRAINING_MIN_DAYS}天或${TRAINING_MIN_HOURS}学时` };
    }
  }
  if (step === 'extension') {
    const m = facts.months ?? 0;
    if (!Number.isInteger(m) || m < PROBATION_EXTENSION_MIN_MONTHS || m > PROBATION_EXTENSION_MAX_MONTHS) {
      return { ok: false, message: `预备期只能延长一次，时间为${PROBATION_EXTENSION_MIN_MONTHS}至${PROBATION_EXTENSION_MAX_MONTHS}个月` };
    }
  }
  return { ok: true, late: w.latest !== null && facts.date > w.latest };
}

/** The 转正日期 a confirmation writes: the day the 预备期 ends (member-facts), not the approval's day. */
export function confirmationDateOf(h: DevelopmentHistory): IsoDate | null {
  const joinedAt = joinedAtOf(h);
  return joinedAt ? probationEndsAt(joinedAt, extensionMonthsOf(h)) : null;
}
