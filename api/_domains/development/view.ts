/**
 * Loading 发展党员 records and turning them into what the pages show: the
 * stage, the steps, the open windows (shared/development/rules.ts) and the
 * warnings. Every read goes through the caller's scope (api/_app/scope.ts).
 */
import { and, asc, eq, inArray, type SQL } from 'drizzle-orm';
import type { IsoDate } from '../../../shared/calendar.js';
import {
  STAGE_LABELS,
  STEP_LABELS,
  TOWNSHIP_STEPS,
  openSteps,
  stepDetails,
  workCalendarOf,
  type DevelopmentDetail,
  type DevelopmentHistory,
  type DevelopmentSummary,
  type StepWindow,
  type StepWindowView,
  type WorkCalendar,
} from '../../../shared/development.js';
import { disclosedIdentity } from '../../../shared/idcard.js';
import type { Db } from '../../../db/client.js';
import { developmentRecords, developmentStepRows, members, organizations, workCalendarDays } from '../../../db/schema/index.js';

export type RecordRow = typeof developmentRecords.$inferSelect & { organizationName: string };
export type StepRow = typeof developmentStepRows.$inferSelect;

/** The county's working-day calendar (a few dozen rows a year). */
export async function loadWorkCalendar(db: Db): Promise<WorkCalendar> {
  return workCalendarOf(await db.select({ day: workCalendarDays.day, kind: workCalendarDays.kind }).from(workCalendarDays));
}

export async function loadRecords(db: Db, where: SQL | undefined): Promise<{ records: RecordRow[]; steps: Map<number, StepRow[]> }> {
  const rows = await db
    .select({ r: developmentRecords, organizationName: organizations.name })
    .from(developmentRecords)
    .innerJoin(organizations, eq(organizations.id, developmentRecords.organizationId))
    .where(where)
    // Fixed order by branch and name: the board never ranks people.
    .orderBy(asc(organizations.sortOrder), asc(developmentRecords.name), asc(developmentRecords.id));
  const records = rows.map((x) => ({ ...x.r, organizationName: x.organizationName }));
  const steps = new Map<number, StepRow[]>();
  if (records.length === 0) return { records, steps };
  const stepRows = await db
    .select()
    .from(developmentStepRows)
    .where(inArray(developmentStepRows.recordId, records.map((r) => r.id)))
    .orderBy(asc(developmentStepRows.date), asc(developmentStepRows.id));
  for (const s of stepRows) steps.set(s.recordId, [...(steps.get(s.recordId) ?? []), s]);
  return { records, steps };
}

export function historyOf(record: Pick<RecordRow, 'birthDate'>, steps: readonly StepRow[]): DevelopmentHistory {
  return {
    birthDate: record.birthDate,
    steps: steps.map((s) => ({ step: s.step, date: s.date, months: typeof s.details.months === 'number' ? s.details.months : null })),
  };
}

function windowView(w: StepWindow, today: IsoDate): StepWindowView {
  return {
    step: w.step,
    label: STEP_LABELS[w.step],
    earliest: w.earliest,
    latest: w.latest,
    hardLatest: w.hardLatest,
    rule: w.rule,
    actor: TOWNSHIP_STEPS.includes(w.step) ? 'township' : 'branch',
    overdue: w.latest !== null && today > w.latest,
  };
}

/** Main-path steps the timeline offers next (reviews, extension and cancellation are offered alongside). */
const SIDE_STEPS = ['activist_review', 'probation_review', 'extension', 'cancellation'];

export function summaryOf(record: RecordRow, steps: readonly StepRow[], today: IsoDate, cal: WorkCalendar): DevelopmentSummary & { open: StepWindowView[] } {
  const h = historyOf(record, steps);
  const open = openSteps(h, cal).map((w) => windowView(w, today));
  const next = open.find((w) => !SIDE_STEPS.includes(w.step)) ?? null;
  const warnings: string[] = [];
  for (const w of open) {
    if (w.overdue) warnings.push(`“${w.label}”应于 ${w.latest} 前完成，已超期`);
  }
  for (const s of steps) if (s.late) warnings.push(`“${STEP_LABELS[s.step]}”（${s.date}）晚于规定期限`);
  const identity = disclosedIdentity(record);
  return {
    id: record.id,
    name: record.name,
    gender: record.gender,
    birthMonth: identity.birthMonth,
    idNumberMasked: identity.idNumberMasked,
    organizationId: record.organizationId,
    organizationName: record.organizationName,
    stage: record.stage,
    stageLabel: STAGE_LABELS[record.stage],
    applicationDate: steps.find((s) => s.step === 'application')?.date ?? null,
    joinedAt: steps.find((s) => s.step === 'branch_meeting')?.date ?? null,
    next,
    warnings,
    version: record.version,
    open,
  };
}

export async function detailOf(db: Db, record: RecordRow, steps: readonly StepRow[], today: IsoDate, cal: WorkCalendar): Promise<DevelopmentDetail> {
  const ids = [record.contact1MemberId, record.contact2MemberId].filter((x): x is number => x != null);
  const contacts = ids.length ? await db.select({ memberId: members.id, name: members.name }).from(members).where(inArray(members.id, ids)) : [];
  return {
    ...summaryOf(record, steps, today, cal),
    memberId: record.memberId,
    contacts: ids.map((id) => contacts.find((c) => c.memberId === id)).filter((c): c is { memberId: number; name: string } => !!c),
    steps: steps.map((s) => ({
      id: s.id,
      step: s.step,
      label: STEP_LABELS[s.step],
      date: s.date,
      evidence: s.evidence,
      details: stepDetails.parse(s.details),
      late: s.late,
    })),
  };
}

/** One record with its steps, under `where` (the caller's scope); undefined when out of scope. */
export async function loadOne(db: Db, id: number, where: SQL, today: IsoDate, cal?: WorkCalendar): Promise<DevelopmentDetail | undefined> {
  const { records, steps } = await loadRecords(db, and(eq(developmentRecords.id, id), where));
  const record = records[0];
  if (!record) return undefined;
  return detailOf(db, record, steps.get(record.id) ?? [], today, cal ?? (await loadWorkCalendar(db)));
}
