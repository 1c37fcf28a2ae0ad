/** The transfer API contracts (request bodies, responses, endpoints) and the ledger's columns. */
import { z } from 'zod';
import { codeEnum, gender, idNumber, idParam, isoDate, isoMonth, memberCategory, mobilePhone, personName, text, educations, urlId, urlInt } from '../common.js';
import { endpoint, type Ownership } from '../http.js';
import { memberFactIssuesFromId } from '../member-facts.js';
import { ledgerPlacement } from '../transfer-ledger.js';
import { transferConflictsField } from '../transfer-conflicts.js';
import { onBehalfConsent } from '../privacy/contracts.js';
import { MAX_VALIDITY_DAYS } from './letters.js';
import { transferActions, TRANSFER_REASON_LABELS, TRANSFER_SCOPE_LABELS, transferKinds, transferReasons, transferScopes, transferStates } from './machine.js';

// ---------------------------------------------------------------------------
// Contracts

const reasonFields = {
  reason: codeEnum(transferReasons, TRANSFER_REASON_LABELS, { message: '请选择转接原因' }),
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
    scope: codeEnum(transferScopes, TRANSFER_SCOPE_LABELS, { message: '请选择转往范围' }),
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

/** 县内跨镇转接: to a branch of another township of the county; its committee is named on the letter by the server. */
export const createCrossTownshipTransferBody = z
  .object({
    kind: z.literal('cross_township'),
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
    category: memberCategory,
    joinedAt: isoDate,
    confirmedAt: isoDate.optional(),
    education: z.enum(educations).optional(),
    /** The receiving branch; a secretary may only name their own. */
    toOrganizationId: z.number().int().positive().max(2_147_483_647),
    fromOrganizationName: organizationName('来自单位'),
    incomingLetterNumber: text(40, '来信编号').pipe(z.string().min(1, '请填写介绍信编号')),
    scope: codeEnum(transferScopes, TRANSFER_SCOPE_LABELS, { message: '请选择来自范围' }),
    ...reasonFields,
    /**
     * The filer types someone else's ID number: they confirm the member was told the privacy guide and agreed
     * (PIPL arts. 14, 29). Recorded with the guide's version in the filing's audit entry.
     */
    memberConsent: onBehalfConsent,
  })
  .strict()
  // The member-fact rules every path shares (ID number and gender, age 18, 预备期 and 转正); the server adds today.
  .superRefine((v, ctx) => {
    for (const issue of memberFactIssuesFromId(v, null)) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
  });

export const createTransferBody = z.discriminatedUnion('kind', [createOutTransferBody, createInternalTransferBody, createCrossTownshipTransferBody, createInTransferBody]);
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
/** 县内跨镇转接: the receiving township takes the member in; the day is the 回执's (server's today when left out). */
export const receiveBody = receiptBody;
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
  category: memberCategory,
  idNumberMasked: z.string(),
  fromOrganizationId: z.number().int().nullable(),
  fromOrganizationName: z.string(),
  toOrganizationId: z.number().int().nullable(),
  toOrganizationName: z.string(),
  scope: codeEnum(transferScopes, TRANSFER_SCOPE_LABELS),
  reason: codeEnum(transferReasons, TRANSFER_REASON_LABELS),
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
    scope: codeEnum(transferScopes, TRANSFER_SCOPE_LABELS).optional(),
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
  townshipName: z.string(),
  letterAddressee: z.string(),
  memberName: z.string(),
  gender,
  ethnicity: z.string(),
  category: memberCategory,
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
  summary: '提交组织关系转接申请（转出、镇内转接、县内跨镇转接）或登记转入',
  access: 'member',
  ownership: 'member',
  idempotencyKey: 'optional',
  body: createTransferBody,
  response: transferDetail,
  idempotent: true,
});

export const listTransfers = endpoint({
  method: 'GET',
  path: '/api/transfers',
  summary: '转接列表：我的申请、待我审批、台账（按年度/类型/范围/状态/支部筛选，逾期在前）',
  access: 'member',
  ownership: 'none',
  query: listQuery,
  response: z.object({ transfers: z.array(transferSummary), counts: transferCounts }),
  idempotent: true,
});

export const getTransfer = endpoint({
  method: 'GET',
  path: '/api/transfers/:id',
  summary: '转接详情与办理时间线',
  access: 'member',
  ownership: 'member',
  params: idParams,
  response: transferDetail,
  idempotent: true,
});

const step = <B extends z.ZodType>(action: string, summary: string, access: 'member' | 'officer' | 'staff', ownership: Ownership, body: B) =>
  endpoint({ method: 'POST', path: `/api/transfers/:id/${action}`, summary, access, ownership, idempotencyKey: 'optional', params: idParams, body, response: transferDetail, idempotent: true });

export const reviewTransfer = step('review', '支部审核（通过或不予通过，附意见）', 'officer', 'branch', reviewBody);
export const approveTransfer = step('approve', '党委审批通过（转出时开具介绍信）', 'staff', 'township', approveBody);
export const rejectTransfer = step('reject', '不予通过（任一步骤，附原因）', 'officer', 'branch', rejectBody);
export const withdrawTransfer = step('withdraw', '申请人在党委审批前撤回', 'member', 'personal', withdrawBody);
export const recordReceipt = step('receipt', '登记回执（转出完成）', 'staff', 'township', receiptBody);
export const receiveTransfer = step('receive', '县内跨镇转接：转入乡镇确认接收并登记回执（党员转入本支部）', 'officer', 'branch', receiveBody);
export const recordReport = step('report', '转入党员到支部报到（转入完成）', 'officer', 'branch', reportBody);

export const getLetter = endpoint({
  method: 'GET',
  path: '/api/transfers/:id/letter',
  summary: '介绍信（存根、介绍信、回执联）打印数据',
  access: 'member',
  ownership: 'member',
  params: idParams,
  response: letterView,
  idempotent: true,
});

/** The full ID number for the printed letter (the receiver checks the member by it; screens keep the mask): staff only, audited like a reveal. */
export const printLetter = endpoint({
  method: 'POST',
  path: '/api/transfers/:id/letter/print',
  summary: '打印介绍信（党委工作人员；纸面带完整身份证号，每次打印写入审计日志）',
  access: 'staff',
  ownership: 'township',
  params: idParams,
  response: z.object({ idNumber: z.string() }),
});
