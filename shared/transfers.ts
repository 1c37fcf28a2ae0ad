/**
 * 组织关系转接: the three kinds of transfer, their state machine as plain data,
 * the letter's rules (number, validity in capital numerals, expiry, 回执 due),
 * and the API contracts. Pure: imported by the server (which enforces it) and
 * by the mini-program (which shows only the buttons the caller may press).
 */
import { z } from 'zod';
import { addDays, addMonths, type IsoDate } from './calendar.js';
import { gender, idNumber, idParam, isoDate, isoMonth, memberCategories, mobilePhone, personName, text, educations, urlId, urlInt } from './common.js';
import { endpoint } from './http.js';
import { memberFactIssuesFromId } from './member-facts.js';
import { ledgerPlacement } from './transfer-ledger.js';
import { transferConflictsField } from './transfer-conflicts.js';

// ---------------------------------------------------------------------------
// Vocabulary

export const transferKinds = ['out', 'in', 'internal'] as const;
export type TransferKind = (typeof transferKinds)[number];
export const TRANSFER_KIND_LABELS: Record<TransferKind, string> = {
  out: '转出',
  in: '转入',
  internal: '镇内转接',
};

export const transferStates = [
  'pending_branch',
  'pending_receiving_branch',
  'pending_committee',
  'letter_issued',
  'awaiting_report',
  'completed',
  'rejected',
  'withdrawn',
] as const;
export type TransferState = (typeof transferStates)[number];
export const TRANSFER_STATE_LABELS: Record<TransferState, string> = {
  pending_branch: '待支部审核',
  pending_receiving_branch: '待转入支部审核',
  pending_committee: '待党委审批',
  letter_issued: '已开介绍信，待回执',
  awaiting_report: '待到支部报到',
  completed: '已完成',
  rejected: '未通过',
  withdrawn: '已撤回',
};

/** States a transfer never leaves. Anything else is "open" (the one-open-per-member index uses this list). */
export const FINAL_STATES = ['completed', 'rejected', 'withdrawn'] as const satisfies readonly TransferState[];
export const isFinalState = (s: TransferState) => (FINAL_STATES as readonly TransferState[]).includes(s);

export const transferScopes = ['县内', '县外省内', '省外'] as const;
export type TransferScope = (typeof transferScopes)[number];

export const transferReasons = ['工作调动', '升学', '居住地变更', '其他'] as const;
export type TransferReason = (typeof transferReasons)[number];

export const transferActions = ['review', 'approve', 'reject', 'withdraw', 'receipt', 'report'] as const;
export type TransferAction = (typeof transferActions)[number];
export const TRANSFER_ACTION_LABELS: Record<TransferAction | 'apply', string> = {
  apply: '提交申请',
  review: '支部审核通过',
  approve: '党委审批通过',
  reject: '不予通过',
  withdraw: '撤回申请',
  receipt: '登记回执',
  report: '确认报到',
};

/**
 * How the caller stands to one transfer. Worked out on the server from the
 * token (never the body): the account that filed it, the member it moves,
 * the secretary of the branch it leaves or joins, committee staff.
 */
export const transferActors = ['applicant', 'subject', 'from_secretary', 'to_secretary', 'staff'] as const;
export type TransferActor = (typeof transferActors)[number];

export interface Transition {
  kind: TransferKind;
  from: TransferState;
  action: TransferAction;
  to: TransferState;
  actors: readonly TransferActor[];
}

export const INITIAL_STATE: Record<TransferKind, TransferState> = {
  out: 'pending_branch',
  internal: 'pending_branch',
  in: 'pending_committee',
};

/** Who may file each kind (besides the rules on whom for: self, own branch). */
export const APPLY_ROLES: Record<TransferKind, readonly ('member' | 'secretary' | 'staff')[]> = {
  out: ['member', 'secretary', 'staff'],
  internal: ['member', 'secretary', 'staff'],
  in: ['secretary', 'staff'],
};

const forward: Transition[] = [
  // 转出: 申请 → 支部审核 → 党委审批 (letter issued) → 回执 → 完成
  { kind: 'out', from: 'pending_branch', action: 'review', to: 'pending_committee', actors: ['from_secretary'] },
  { kind: 'out', from: 'pending_committee', action: 'approve', to: 'letter_issued', actors: ['staff'] },
  { kind: 'out', from: 'letter_issued', action: 'receipt', to: 'completed', actors: ['staff'] },
  // 转入: 登记 → 党委审批 → 报到 → 完成
  { kind: 'in', from: 'pending_committee', action: 'approve', to: 'awaiting_report', actors: ['staff'] },
  { kind: 'in', from: 'awaiting_report', action: 'report', to: 'completed', actors: ['to_secretary', 'staff'] },
  // 镇内转接: 申请 → 转出支部 → 转入支部 → 党委审批 → 完成
  { kind: 'internal', from: 'pending_branch', action: 'review', to: 'pending_receiving_branch', actors: ['from_secretary'] },
  { kind: 'internal', from: 'pending_receiving_branch', action: 'review', to: 'pending_committee', actors: ['to_secretary'] },
  { kind: 'internal', from: 'pending_committee', action: 'approve', to: 'completed', actors: ['staff'] },
];

/** Steps still before 党委审批, where the applicant (or the member moved) may withdraw. */
const WITHDRAWABLE: readonly TransferState[] = ['pending_branch', 'pending_receiving_branch', 'pending_committee'];

/** The whole state machine: forward steps, a rejection at every step by whoever acts there, withdrawals. */
export const TRANSITIONS: readonly Transition[] = [
  ...forward,
  ...forward.map((t) => ({ ...t, action: 'reject' as const, to: 'rejected' as const })),
  ...transferKinds.flatMap((kind) =>
    WITHDRAWABLE.filter((from) => forward.some((t) => t.kind === kind && t.from === from)).map((from) => ({
      kind,
      from,
      action: 'withdraw' as const,
      to: 'withdrawn' as const,
      actors: ['applicant', 'subject'] as const,
    })),
  ),
];

export type TransitionCheck =
  | { ok: true; transition: Transition }
  /** No such step from this state: 409 invalid_transition. */
  | { ok: false; problem: 'invalid_transition' }
  /** The step exists, but not for this caller: 403. */
  | { ok: false; problem: 'forbidden' };

export function checkTransition(
  kind: TransferKind,
  from: TransferState,
  action: TransferAction,
  actors: ReadonlySet<TransferActor>,
): TransitionCheck {
  const candidates = TRANSITIONS.filter((t) => t.kind === kind && t.from === from && t.action === action);
  if (candidates.length === 0) return { ok: false, problem: 'invalid_transition' };
  const transition = candidates.find((t) => t.actors.some((a) => actors.has(a)));
  return transition ? { ok: true, transition } : { ok: false, problem: 'forbidden' };
}

/** Buttons to show: every action the caller may take now. */
export function allowedActions(kind: TransferKind, state: TransferState, actors: ReadonlySet<TransferActor>): TransferAction[] {
  return TRANSITIONS.filter((t) => t.kind === kind && t.from === state && t.actors.some((a) => actors.has(a))).map((t) => t.action);
}

/** The next forward step's label, for "待…" hints on cards. */
export function nextForwardStep(kind: TransferKind, state: TransferState): Transition | undefined {
  return forward.find((t) => t.kind === kind && t.from === state);
}

// ---------------------------------------------------------------------------
// Letters

/** Validity in days: about 10 within the county, 30 outside it; never more than 3 months. */
export const MAX_VALIDITY_DAYS = 90;
export const DEFAULT_VALIDITY_DAYS: Record<TransferScope, number> = { 县内: 10, 县外省内: 30, 省外: 30 };

/** The committee's own defaults (organizations.settings.transferValidityDays) win over ours; both capped at 90. */
export function defaultValidityDays(scope: TransferScope, settings: unknown): number {
  const configured =
    settings && typeof settings === 'object' ? (settings as { transferValidityDays?: Partial<Record<TransferScope, unknown>> }).transferValidityDays : undefined;
  const value = configured?.[scope];
  if (typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= MAX_VALIDITY_DAYS) return value;
  return DEFAULT_VALIDITY_DAYS[scope];
}

export function formatLetterNumber(year: number, sequence: number): string {
  return `${year}-${String(sequence).padStart(4, '0')}`;
}

/** The letter is valid through `issuedOn + days`. */
export const letterExpiry = (issuedOn: IsoDate, validityDays: number): IsoDate => addDays(issuedOn, validityDays);

/** The 回执 should come back within one month of the letter. */
export const receiptDue = (issuedOn: IsoDate): IsoDate => addMonths(issuedOn, 1);

const DIGITS = ['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'] as const;
const UNITS = ['', '拾', '佰', '仟'] as const;

/**
 * Chinese capital numerals (大写数字) as written on paper letters and cheques:
 * 30 → 叁拾, 15 → 壹拾伍, 90 → 玖拾, 105 → 壹佰零伍. Whole numbers 0–9999.
 */
export function capitalNumeral(n: number): string {
  if (!Number.isInteger(n) || n < 0 || n > 9999) throw new RangeError(`capitalNumeral: ${n} is outside 0–9999`);
  if (n === 0) return DIGITS[0];
  const digits = String(n).split('').map(Number);
  let out = '';
  let pendingZero = false;
  digits.forEach((d, i) => {
    const unit = UNITS[digits.length - 1 - i] as string;
    if (d === 0) {
      pendingZero = out.length > 0;
      return;
    }
    if (pendingZero) out += DIGITS[0];
    pendingZero = false;
    out += (DIGITS[d] as string) + unit;
  });
  return out;
}

export interface OverdueFacts {
  state: TransferState;
  letterExpiresOn: IsoDate | null;
  receiptDueOn: IsoDate | null;
  receiptReceivedOn: IsoDate | null;
}

export interface Overdue {
  /** The letter's validity ran out and no 回执 has come back. */
  letterExpired: boolean;
  /** More than one month since the letter without a 回执. */
  receiptOverdue: boolean;
}

export function overdueOf(t: OverdueFacts, today: IsoDate): Overdue {
  const waiting = t.state === 'letter_issued' && t.receiptReceivedOn == null;
  return {
    letterExpired: waiting && t.letterExpiresOn != null && today > t.letterExpiresOn,
    receiptOverdue: waiting && t.receiptDueOn != null && today > t.receiptDueOn,
  };
}

export function overdueLabel(o: Overdue): string | null {
  if (o.receiptOverdue) return '回执逾期';
  if (o.letterExpired) return '介绍信已过期';
  return null;
}

// ---------------------------------------------------------------------------
// Contracts

const reasonFields = {
  reason: z.enum(transferReasons, { message: '请选择转接原因' }),
  reasonNote: text(200, '原因说明').optional(),
  duesPaidThrough: isoMonth.describe('党费交至（YYYY-MM）'),
  contactPhone: mobilePhone,
};

const organizationName = (label: string) => text(100, label).pipe(z.string().min(2, `请填写${label}`));

export const createOutTransferBody = z
  .object({
    kind: z.literal('out'),
    /** Only a secretary filing for a member of their branch names the member; a member files for themselves. */
    memberId: z.number().int().positive().max(2_147_483_647).optional(),
    toOrganizationName: organizationName('转往单位'),
    letterAddressee: organizationName('介绍信抬头'),
    scope: z.enum(transferScopes, { message: '请选择转往范围' }),
    ...reasonFields,
  })
  .strict();

export const createInternalTransferBody = z
  .object({
    kind: z.literal('internal'),
    memberId: z.number().int().positive().max(2_147_483_647).optional(),
    toOrganizationId: z.number().int().positive().max(2_147_483_647),
    ...reasonFields,
  })
  .strict();

export const createInTransferBody = z
  .object({
    kind: z.literal('in'),
    name: personName,
    gender,
    ethnicity: text(20, '民族').pipe(z.string().min(2, '请填写民族')),
    idNumber,
    category: z.enum(memberCategories),
    joinedAt: isoDate,
    confirmedAt: isoDate.optional(),
    education: z.enum(educations).optional(),
    /** The receiving branch; a secretary may only name their own. */
    toOrganizationId: z.number().int().positive().max(2_147_483_647),
    fromOrganizationName: organizationName('来自单位'),
    incomingLetterNumber: text(40, '来信编号').pipe(z.string().min(1, '请填写介绍信编号')),
    scope: z.enum(transferScopes, { message: '请选择来自范围' }),
    ...reasonFields,
  })
  .strict()
  // The member-fact rules every path shares (ID number and gender, age 18, 预备期 and 转正); the server adds today.
  .superRefine((v, ctx) => {
    for (const issue of memberFactIssuesFromId(v, null)) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
  });

export const createTransferBody = z.discriminatedUnion('kind', [createOutTransferBody, createInternalTransferBody, createInTransferBody]);
export type CreateTransferBody = z.input<typeof createTransferBody>;

const versionField = { version: z.number().int().positive().max(2_147_483_647) };
const comment = text(300, '意见').optional();

export const reviewBody = z
  .object({ decision: z.enum(['approve', 'reject']), comment, ...versionField })
  .strict()
  .superRefine((v, ctx) => {
    if (v.decision === 'reject' && !v.comment) ctx.addIssue({ code: 'custom', path: ['comment'], message: '不予通过时请填写原因' });
  });
export const approveBody = z
  .object({ comment, validityDays: z.number().int().min(1).max(MAX_VALIDITY_DAYS, `有效期最长${MAX_VALIDITY_DAYS}天`).optional(), ...versionField })
  .strict();
export const rejectBody = z.object({ reason: text(300, '原因').pipe(z.string().min(1, '请填写不予通过的原因')), ...versionField }).strict();
export const withdrawBody = z.object({ reason: text(300, '原因').optional(), ...versionField }).strict();
/** The day the 回执 came back; left out, the server's today (the phone's clock may be wrong). */
export const receiptBody = z.object({ receivedOn: isoDate.optional(), comment, ...versionField }).strict();
export const reportBody = z.object({ reportedOn: isoDate.optional(), comment, ...versionField }).strict();

export const overdue = z.object({ letterExpired: z.boolean(), receiptOverdue: z.boolean() });

export const transferSummary = z.object({
  id: z.number().int(),
  kind: z.enum(transferKinds),
  state: z.enum(transferStates),
  version: z.number().int(),
  memberId: z.number().int().nullable(),
  memberName: z.string(),
  gender,
  ethnicity: z.string(),
  category: z.enum(memberCategories),
  idNumberMasked: z.string(),
  fromOrganizationId: z.number().int().nullable(),
  fromOrganizationName: z.string(),
  toOrganizationId: z.number().int().nullable(),
  toOrganizationName: z.string(),
  scope: z.enum(transferScopes),
  reason: z.enum(transferReasons),
  appliedOn: isoDate,
  /** Where it stands in the yearly ledger (shared/transfer-ledger.ts). */
  ledger: ledgerPlacement,
  letterNumber: z.string().nullable(),
  letterIssuedOn: isoDate.nullable(),
  validityDays: z.number().int().nullable(),
  letterExpiresOn: isoDate.nullable(),
  receiptDueOn: isoDate.nullable(),
  receiptReceivedOn: isoDate.nullable(),
  completedOn: isoDate.nullable(),
  overdue,
});
export type TransferSummary = z.infer<typeof transferSummary>;

export const transferEvent = z.object({
  id: z.number().int(),
  at: z.string(),
  actorName: z.string(),
  actorRole: z.string(),
  action: z.enum(['apply', ...transferActions]),
  fromState: z.enum(transferStates).nullable(),
  toState: z.enum(transferStates),
  comment: z.string().nullable(),
});
export type TransferEvent = z.infer<typeof transferEvent>;

export const transferDetail = transferSummary.extend({
  letterAddressee: z.string().nullable(),
  incomingLetterNumber: z.string().nullable(),
  reasonNote: z.string().nullable(),
  duesPaidThrough: isoMonth,
  contactPhone: z.string(),
  reportedOn: isoDate.nullable(),
  closingReason: z.string().nullable(),
  events: z.array(transferEvent),
  /** What the caller may do now (the server checks again). */
  actions: z.array(z.enum(transferActions)),
  /** 转入 only, township staff only (shared/transfer-conflicts.ts). */
  conflicts: transferConflictsField,
});
export type TransferDetail = z.infer<typeof transferDetail>;

const optionalInt = urlId.optional();

export const listQuery = z
  .object({
    /** inbox: waiting for the caller (officers); mine: filed by or about the caller; all: the ledger (officers). */
    view: z.enum(['inbox', 'mine', 'all']).default('mine'),
    year: urlInt(2000, 2100, '年份').optional(),
    kind: z.enum(transferKinds).optional(),
    scope: z.enum(transferScopes).optional(),
    state: z.enum(transferStates).optional(),
    organizationId: optionalInt,
    overdueOnly: z.enum(['1', 'true']).optional(),
  })
  .strict();

export const transferCounts = z.object({
  /** Waiting for the caller's step. */
  awaitingMe: z.number().int(),
  /** Of those, per state (for the inbox tabs). */
  byState: z.record(z.string(), z.number().int()),
  overdue: z.number().int(),
  open: z.number().int(),
});

export const letterView = z.object({
  transferId: z.number().int(),
  letterNumber: z.string(),
  committeeName: z.string(),
  letterAddressee: z.string(),
  memberName: z.string(),
  gender,
  ethnicity: z.string(),
  category: z.enum(memberCategories),
  idNumberMasked: z.string(),
  fromOrganizationName: z.string(),
  toOrganizationName: z.string(),
  duesPaidThrough: isoMonth,
  issuedOn: isoDate,
  validityDays: z.number().int(),
  validityDaysCapital: z.string(),
  expiresOn: isoDate,
  receiptReceivedOn: isoDate.nullable(),
  state: z.enum(transferStates),
});
export type LetterView = z.infer<typeof letterView>;

const idParams = idParam;

export const createTransfer = endpoint({
  method: 'POST',
  path: '/api/transfers',
  summary: '提交组织关系转接申请（转出、镇内转接）或登记转入',
  access: 'member',
  body: createTransferBody,
  response: transferDetail,
  idempotent: true,
});

export const listTransfers = endpoint({
  method: 'GET',
  path: '/api/transfers',
  summary: '转接列表：我的申请、待我审批、台账（按年度/类型/范围/状态/支部筛选，逾期在前）',
  access: 'member',
  query: listQuery,
  response: z.object({ transfers: z.array(transferSummary), counts: transferCounts }),
  idempotent: true,
});

export const getTransfer = endpoint({
  method: 'GET',
  path: '/api/transfers/:id',
  summary: '转接详情与办理时间线',
  access: 'member',
  params: idParams,
  response: transferDetail,
  idempotent: true,
});

const step = <B extends z.ZodType>(action: string, summary: string, access: 'member' | 'officer' | 'staff', body: B) =>
  endpoint({ method: 'POST', path: `/api/transfers/:id/${action}`, summary, access, params: idParams, body, response: transferDetail, idempotent: true });

export const reviewTransfer = step('review', '支部审核（通过或不予通过，附意见）', 'officer', reviewBody);
export const approveTransfer = step('approve', '党委审批通过（转出时开具介绍信）', 'staff', approveBody);
export const rejectTransfer = step('reject', '不予通过（任一步骤，附原因）', 'officer', rejectBody);
export const withdrawTransfer = step('withdraw', '申请人在党委审批前撤回', 'member', withdrawBody);
export const recordReceipt = step('receipt', '登记回执（转出完成）', 'staff', receiptBody);
export const recordReport = step('report', '转入党员到支部报到（转入完成）', 'officer', reportBody);

export const getLetter = endpoint({
  method: 'GET',
  path: '/api/transfers/:id/letter',
  summary: '介绍信（存根、介绍信、回执联）打印数据',
  access: 'member',
  params: idParams,
  response: letterView,
  idempotent: true,
});

export const ledgerQuery = z
  .object({
    year: urlInt(2000, 2100, '年份'),
    format: z.enum(['xlsx']).default('xlsx'),
  })
  .strict();

export const exportLedger = endpoint({
  method: 'GET',
  path: '/api/transfers/ledger',
  summary: '导出年度组织关系转进转出台账（xlsx）',
  access: 'staff',
  query: ledgerQuery,
  response: null,
  idempotent: true,
});

/** The county's ledger columns, in order. */
export const LEDGER_COLUMNS = [
  '序号',
  '姓名',
  '性别',
  '民族',
  '人员类别',
  '转出/转入单位',
  '转往/来自单位',
  '范围',
  '介绍信编号',
  '开具日期',
  '有效期',
  '回执日期',
  '状态',
  '经办人',
  '类型',
] as const;
