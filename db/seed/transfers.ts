/**
 * Demo transfers: a completed 转出, a 转出 whose letter ran out without a 回执
 * (overdue), one waiting for its branch, a 镇内转接 waiting for the committee,
 * a 转入 waiting for 报到, and a withdrawn application. Dates are relative to
 * the seed's day so the demo looks the same whenever it is seeded.
 */
import { eq, inArray } from 'drizzle-orm';
import { addDays, shanghaiDate, type IsoDate } from '../../shared/calendar.js';
import {
  checkTransition,
  DEFAULT_VALIDITY_DAYS,
  formatLetterNumber,
  INITIAL_STATE,
  letterExpiry,
  memberSnapshot,
  receiptDue,
  transferActors,
  type TransferAction,
  type TransferActor,
  type TransferKind,
  type TransferState,
} from '../../shared/transfers.js';
import { sealIdNumber } from '../pii.js';
import { accounts, members, organizations, transferEvents, transferLetterSequences, transferringMember, transfers } from '../schema/index.js';
import { probationEndsAt } from '../../shared/member-facts.js';
import { assertSeedFacts } from './core.js';
import { makeIdNumber, makePhone } from './identity.js';
import type { SeedContext } from './index.js';

type Insert = typeof transfers.$inferInsert;

/** One step of a demo transfer; the states it leaves and reaches come from the state machine (`walk`). */
interface Step {
  action: TransferAction | 'apply';
  on: IsoDate;
  by: { accountId: number; role: string };
  comment?: string;
}

const everyActor: ReadonlySet<TransferActor> = new Set(transferActors);

/** Where a step moves a transfer, by the API's own state machine: a step it would refuse fails the seed. */
function stateAfter(kind: TransferKind, from: TransferState | null, action: Step['action']): TransferState {
  if (action === 'apply') return INITIAL_STATE[kind];
  const check = from == null ? null : checkTransition(kind, from, action, everyActor);
  if (!check?.ok) throw new Error(`seed: no ${action} step from ${from ?? 'nothing'} for a ${kind} transfer`);
  return check.transition.to;
}

/** The steps with the states each leaves and reaches. */
function walk(kind: TransferKind, steps: readonly Step[]) {
  let state: TransferState | null = null;
  return steps.map((step) => {
    const from: TransferState | null = state;
    state = stateAfter(kind, from, step.action);
    return { ...step, from, to: state };
  });
}

const at = (day: IsoDate, hour: number) => new Date(`${day}T${String(hour).padStart(2, '0')}:30:00+08:00`);

export async function seedTransfers({ db, keys, now, core }: SeedContext): Promise<void> {
  const today = shanghaiDate(now);
  // Ordinary members well down the roster: the first accounts of each role are what tests and demos log in as.
  const pickIds = core.memberIds.slice(30, 36);
  const roster = await db
    .select({ ...transferringMember, phone: members.phone, accountId: accounts.id })
    .from(members)
    .innerJoin(organizations, eq(organizations.id, members.organizationId))
    .innerJoin(accounts, eq(accounts.memberId, members.id))
    .where(inArray(members.id, pickIds));
  const byId = new Map(roster.map((m) => [m.id, m]));
  const people = pickIds.map((id) => byId.get(id)).filter((m): m is NonNullable<typeof m> => m !== undefined);
  if (people.length < 5) return;
  const [outDone, outOverdue, outPending, internalPending, withdrawn] = people as [
    (typeof people)[number],
    (typeof people)[number],
    (typeof people)[number],
    (typeof people)[number],
    (typeof people)[number],
  ];

  const officers = await db.select({ id: accounts.id, role: accounts.role, organizationId: accounts.organizationId }).from(accounts);
  const staff = { accountId: core.staffAccountIds[0] as number, role: 'staff' };
  const secretaryOf = (organizationId: number) => {
    const s = officers.find((a) => a.role === 'secretary' && a.organizationId === organizationId);
    return { accountId: s?.id ?? staff.accountId, role: s ? 'secretary' : 'staff' };
  };
  const self = (m: (typeof people)[number]) => ({ accountId: m.accountId, role: 'member' });
  const snapshot = (m: (typeof people)[number]) => ({ ...memberSnapshot(m), contactPhone: m.phone });
  const branchName = async (id: number) =>
    (await db.select({ name: organizations.name }).from(organizations).where(eq(organizations.id, id)))[0]?.name ?? '';

  // Letter numbers are taken in issue order, per township and year, exactly as the approval does.
  const lastNumber = new Map<number, number>();
  const letter = (issuedOn: IsoDate, validityDays: number) => {
    const year = Number(issuedOn.slice(0, 4));
    const n = (lastNumber.get(year) ?? 0) + 1;
    lastNumber.set(year, n);
    return {
      letterYear: year,
      letterSequence: n,
      letterNumber: formatLetterNumber(year, n),
      letterIssuedOn: issuedOn,
      validityDays,
      letterExpiresOn: letterExpiry(issuedOn, validityDays),
      receiptDueOn: receiptDue(issuedOn),
      approverAccountId: staff.accountId,
    };
  };

  async function add(values: Omit<Insert, 'state' | 'appliedOn' | 'applicantAccountId'>, plan: Step[]): Promise<void> {
    const steps = walk(values.kind, plan);
    const first = steps[0] as (typeof steps)[number];
    const last = steps[steps.length - 1] as (typeof steps)[number];
    const [row] = await db
      .insert(transfers)
      .values({
        ...values,
        // Every seeded branch is in the seed's one township (the sending committee numbers the letters).
        fromTownshipId: values.fromOrganizationId != null ? core.townshipId : null,
        toTownshipId: values.toOrganizationId != null ? core.townshipId : null,
        state: last.to,
        version: steps.length,
        appliedOn: first.on,
        applicantAccountId: first.by.accountId,
        createdAt: at(first.on, 9),
        updatedAt: at(last.on, 15),
      })
      .returning({ id: transfers.id });
    if (!row) throw new Error('seed: transfer not created');
    await db.insert(transferEvents).values(
      steps.map((s, i) => ({
        transferId: row.id,
        at: at(s.on, 9 + i),
        actorAccountId: s.by.accountId,
        actorRole: s.by.role,
        action: s.action,
        fromState: s.from,
        toState: s.to,
        comment: s.comment ?? null,
      })),
    );
  }

  // 1. A 转出 finished: the member went to work in the city; the 回执 came back.
  const d1 = addDays(today, -95);
  const l1 = letter(addDays(d1, 6), DEFAULT_VALIDITY_DAYS['in_province']);
  await add(
    {
      ...snapshot(outDone),
      kind: 'out',
      toOrganizationName: '郑州市金水区文化路街道党工委',
      letterAddressee: '中共郑州市金水区文化路街道工作委员会',
      scope: 'in_province',
      reason: 'job',
      duesPaidThrough: d1.slice(0, 7),
      ...l1,
      receiptReceivedOn: addDays(d1, 20),
      completedOn: addDays(d1, 20),
    },
    [
      { action: 'apply', on: d1, by: self(outDone), comment: '到郑州工作，申请转出组织关系' },
      { action: 'review', on: addDays(d1, 2), by: secretaryOf(outDone.organizationId), comment: '情况属实，同意转出' },
      { action: 'approve', on: addDays(d1, 6), by: staff, comment: '同意，开具介绍信' },
      { action: 'receipt', on: addDays(d1, 20), by: staff, comment: '回执已收到' },
    ],
  );
  await db.update(members).set({ status: 'transferred_out' }).where(eq(members.id, outDone.id));

  // 2. A 转出 whose letter ran out weeks ago with no 回执: shows as overdue.
  const d2 = addDays(today, -60);
  const l2 = letter(addDays(d2, 4), DEFAULT_VALIDITY_DAYS['out_of_province']);
  await add(
    {
      ...snapshot(outOverdue),
      kind: 'out',
      toOrganizationName: '杭州市西湖区转塘街道党工委',
      letterAddressee: '中共杭州市西湖区转塘街道工作委员会',
      scope: 'out_of_province',
      reason: 'relocation',
      duesPaidThrough: d2.slice(0, 7),
      ...l2,
    },
    [
      { action: 'apply', on: d2, by: self(outOverdue), comment: '随子女到杭州居住' },
      { action: 'review', on: addDays(d2, 1), by: secretaryOf(outOverdue.organizationId), comment: '同意' },
      { action: 'approve', on: addDays(d2, 4), by: staff, comment: '同意转出' },
    ],
  );

  // 3. A 转出 just filed, waiting for the branch secretary.
  const d3 = addDays(today, -3);
  await add(
    {
      ...snapshot(outPending),
      kind: 'out',
      toOrganizationName: '河南农业大学农学院学生党支部',
      letterAddressee: '中共河南农业大学农学院委员会',
      scope: 'in_province',
      reason: 'study',
      duesPaidThrough: today.slice(0, 7),
    },
    [{ action: 'apply', on: d3, by: self(outPending), comment: '考取研究生，9月入学' }],
  );

  // 4. A 镇内转接 both secretaries agreed to, waiting for the committee.
  const d4 = addDays(today, -8);
  const target = core.branchIds.find((b) => b !== internalPending.organizationId) as number;
  await add(
    {
      ...snapshot(internalPending),
      kind: 'internal',
      toOrganizationId: target,
      toOrganizationName: await branchName(target),
      scope: 'in_county',
      reason: 'relocation',
      duesPaidThrough: today.slice(0, 7),
    },
    [
      { action: 'apply', on: d4, by: self(internalPending), comment: '搬到邻村居住' },
      { action: 'review', on: addDays(d4, 1), by: secretaryOf(internalPending.organizationId), comment: '同意转出' },
      { action: 'review', on: addDays(d4, 3), by: secretaryOf(target), comment: '同意接收' },
    ],
  );

  // 5. A 转入 approved by the committee, waiting for the member to report to the branch.
  const d5 = addDays(today, -10);
  const incomingBranch = core.branchIds[1] as number;
  const incomingId = makeIdNumber('1991-07-16', 'female', 901, '410527');
  const incomingPerson = { birthDate: '1991-07-16', joinedAt: '2014-06-20', confirmedAt: probationEndsAt('2014-06-20'), education: '大专' };
  assertSeedFacts('孟雪芳', { ...incomingPerson, gender: 'female', idNumber: incomingId, category: 'full' }, today);
  await add(
    {
      kind: 'in',
      memberId: null,
      memberName: '孟雪芳',
      gender: 'female',
      ethnicity: '汉族',
      category: 'full',
      ...sealIdNumber(incomingId, keys),
      incomingPerson,
      fromOrganizationId: null,
      fromOrganizationName: '安阳市文峰区光华路街道党工委',
      toOrganizationId: incomingBranch,
      toOrganizationName: await branchName(incomingBranch),
      incomingLetterNumber: `文组转〔${d5.slice(0, 4)}〕017号`,
      scope: 'in_province',
      reason: 'relocation',
      duesPaidThrough: d5.slice(0, 7),
      contactPhone: makePhone(901),
      approverAccountId: staff.accountId,
    },
    [
      { action: 'apply', on: d5, by: staff, comment: '持介绍信来党委报到，已核验' },
      { action: 'approve', on: addDays(d5, 1), by: staff, comment: '同意接收' },
    ],
  );

  // 6. An application withdrawn before the committee looked at it.
  const d6 = addDays(today, -40);
  await add(
    {
      ...snapshot(withdrawn),
      kind: 'out',
      toOrganizationName: '新乡市红旗区党群服务中心',
      letterAddressee: '中共新乡市红旗区委组织部',
      scope: 'in_province',
      reason: 'other',
      reasonNote: '外出务工，后留在本村',
      duesPaidThrough: d6.slice(0, 7),
      closingReason: '不再外出，撤回申请',
    },
    [
      { action: 'apply', on: d6, by: self(withdrawn) },
      { action: 'withdraw', on: addDays(d6, 2), by: self(withdrawn), comment: '不再外出，撤回申请' },
    ],
  );

  for (const [year, n] of lastNumber) {
    await db.insert(transferLetterSequences).values({ townshipId: core.townshipId, year, lastNumber: n });
  }
}
