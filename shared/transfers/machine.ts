/**
 * 组织关系转接: the three kinds of transfer and their state machine as plain data.
 * Pure: imported by the server (which enforces it) and by the mini-program
 * (which shows only the buttons the caller may press).
 */

// ---------------------------------------------------------------------------
// Vocabulary

/**
 * `cross_township`: from a branch of one township to a branch of another in the same county deployment, one
 * record both committees act on (the sending one approves and numbers the letter, the receiving one receives).
 */
export const transferKinds = ['out', 'in', 'internal', 'cross_township'] as const;
export type TransferKind = (typeof transferKinds)[number];
export const TRANSFER_KIND_LABELS: Record<TransferKind, string> = {
  out: '转出',
  in: '转入',
  internal: '镇内转接',
  cross_township: '县内跨镇转接',
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

export const SCOPE_IN_COUNTY = 'in_county';
export const SCOPE_IN_PROVINCE = 'in_province';
export const SCOPE_OUT_OF_PROVINCE = 'out_of_province';
export const transferScopes = [SCOPE_IN_COUNTY, SCOPE_IN_PROVINCE, SCOPE_OUT_OF_PROVINCE] as const;
export type TransferScope = (typeof transferScopes)[number];
export const TRANSFER_SCOPE_LABELS: Record<TransferScope, string> = { in_county: '县内', in_province: '县外省内', out_of_province: '省外' };

export const REASON_JOB = 'job';
export const REASON_STUDY = 'study';
export const REASON_RELOCATION = 'relocation';
export const REASON_OTHER = 'other';
export const transferReasons = [REASON_JOB, REASON_STUDY, REASON_RELOCATION, REASON_OTHER] as const;
export type TransferReason = (typeof transferReasons)[number];
export const TRANSFER_REASON_LABELS: Record<TransferReason, string> = { job: '工作调动', study: '升学', relocation: '居住地变更', other: '其他' };

export const transferActions = ['review', 'approve', 'reject', 'withdraw', 'receipt', 'report', 'receive'] as const;
export type TransferAction = (typeof transferActions)[number];
export const TRANSFER_ACTION_LABELS: Record<TransferAction | 'apply', string> = {
  apply: '提交申请',
  review: '支部审核通过',
  approve: '党委审批通过',
  reject: '不予通过',
  withdraw: '撤回申请',
  receipt: '登记回执',
  report: '确认报到',
  receive: '确认接收并登记回执',
};

/**
 * How the caller stands to one transfer. Worked out on the server from the
 * token (never the body): the account that filed it, the member it moves,
 * the secretary of the branch it leaves or joins, the staff of the committee the
 * transfer belongs to (`staff`: the township it leaves, or for a 转入 the one it
 * joins), and the staff of the township it joins when that is another township
 * of the county (`to_staff`).
 */
export const transferActors = ['applicant', 'subject', 'from_secretary', 'to_secretary', 'staff', 'to_staff'] as const;
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
  cross_township: 'pending_branch',
};

/** Who may file each kind (besides the rules on whom for: self, own branch). */
export const APPLY_ROLES: Record<TransferKind, readonly ('member' | 'secretary' | 'staff')[]> = {
  out: ['member', 'secretary', 'staff'],
  internal: ['member', 'secretary', 'staff'],
  in: ['secretary', 'staff'],
  cross_township: ['member', 'secretary', 'staff'],
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
  // 县内跨镇转接: 申请 → 转出支部 → 转出乡镇党委审批 (its letter, its number) → 转入乡镇确认接收并登记回执 → 完成
  { kind: 'cross_township', from: 'pending_branch', action: 'review', to: 'pending_committee', actors: ['from_secretary'] },
  { kind: 'cross_township', from: 'pending_committee', action: 'approve', to: 'letter_issued', actors: ['staff'] },
  { kind: 'cross_township', from: 'letter_issued', action: 'receive', to: 'completed', actors: ['to_secretary', 'to_staff'] },
];

/** Kinds whose 党委审批 issues our letter (and takes the township's next number for the year). */
export function issuesLetter(kind: TransferKind): boolean {
  return forward.some((t) => t.kind === kind && t.action === 'approve' && t.to === 'letter_issued');
}

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

/**
 * Which side of the transfer the officer must be on for a step to wait for them: a secretary's branch
 * (`from` / `to`), or a staff member's township (`home`: the committee the transfer belongs to;
 * `to_township`: the township it joins).
 */
export type AwaitingSide = 'from' | 'to' | 'home' | 'to_township';
export interface AwaitingStep {
  kind: TransferKind;
  state: TransferState;
  side: AwaitingSide;
}

/**
 * "Waiting for me" (待我办理 in the inbox, 转接待办 on the dashboard): the states where a forward step of the
 * machine is the officer's to take. Rejecting or withdrawing is possible there too but never what waits, and a
 * member's own transfer never waits for them (the callers leave it out). One definition, so both counts agree.
 */
export function awaitingSteps(role: string): AwaitingStep[] {
  const steps: AwaitingStep[] = [];
  for (const t of forward) {
    if (role === 'staff' && t.actors.includes('staff')) steps.push({ kind: t.kind, state: t.from, side: 'home' });
    if (role === 'staff' && t.actors.includes('to_staff')) steps.push({ kind: t.kind, state: t.from, side: 'to_township' });
    if (role === 'secretary') {
      if (t.actors.includes('from_secretary')) steps.push({ kind: t.kind, state: t.from, side: 'from' });
      if (t.actors.includes('to_secretary')) steps.push({ kind: t.kind, state: t.from, side: 'to' });
    }
  }
  return steps;
}
