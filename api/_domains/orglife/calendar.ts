/**
 * The secretary's 组织生活 calendar and the township's outstanding items. Both
 * run the one due engine (shared/orglife/due.ts); the township list is in the
 * branches' fixed order (sortOrder, then name), never ranked.
 */
import * as api from '../../../shared/orglife.js';
import { currentOrOverdue, meetsStudyHours, quarterFigures, requiredStudyHours, studyCareListOpen, studyHoursOf, type DueItem, type DueItemView } from '../../../shared/orglife.js';
import { route } from '../../_app/context.js';
import { branchesInScope, expectedOn, officerBranch, settingsFor } from './access.js';
import { dueFor, officerMemberIds, studyTotals } from './ledger.js';
import { branchFigures } from './figures.js';

export function itemView(i: DueItem): DueItemView {
  return {
    kind: i.kind,
    frequency: i.period.frequency,
    periodKey: i.period.key,
    periodLabel: i.period.label,
    periodStart: i.period.start,
    periodEnd: i.period.end,
    status: i.status,
    doneCount: i.doneCount,
    plannedDay: i.plannedDay,
    restDay: i.restDay,
  };
}

export const calendar = route(api.calendar, async (ctx) => {
  const p = ctx.user;
  const year = ctx.query.year ?? Number(ctx.today.slice(0, 4));
  const branch = await officerBranch(ctx.db, p, ctx.query.organizationId);
  const settings = await settingsFor(ctx.db, p);
  const result = (await dueFor(ctx.db, [branch], year, ctx.today, settings)).get(branch.id) ?? { items: [], untalked: [] };
  // The care list: the branch's current roster, by name (not a ranking).
  const members = await expectedOn(ctx.db, branch.id, ctx.today);
  const ids = members.map((m) => m.memberId);
  const [totals, officers] = await Promise.all([studyTotals(ctx.db, ids, year), officerMemberIds(ctx.db, ids)]);
  const studyCare = members
    .map((m) => {
      const t = totals.get(m.memberId) ?? { meetingMinutes: 0, eventMinutes: 0 };
      const minutes = t.meetingMinutes + t.eventMinutes;
      const officer = officers.has(m.memberId);
      return { memberId: m.memberId, name: m.name, minutes, officer };
    })
    .filter((m) => !meetsStudyHours(m.minutes, m.officer))
    .map((m) => ({ memberId: m.memberId, name: m.name, hours: studyHoursOf(m.minutes), required: requiredStudyHours(m.officer) }));
  return {
    organization: { id: branch.id, name: branch.name },
    year,
    today: ctx.today,
    partyDayOfMonth: settings.partyDayOfMonth,
    items: result.items.map(itemView),
    current: currentOrOverdue(result.items, ctx.today).map(itemView),
    untalked: result.untalked.map((m) => ({ memberId: m.memberId, name: m.name })),
    studyCare,
    studyCareOpen: studyCareListOpen(ctx.today),
  };
});

export const townshipOutstanding = route(api.townshipOutstanding, async (ctx) => {
  const p = ctx.user;
  const year = ctx.query.year ?? Number(ctx.today.slice(0, 4));
  const branches = await branchesInScope(ctx.db, p);
  const settings = await settingsFor(ctx.db, p);
  const [due, figures] = await Promise.all([dueFor(ctx.db, branches, year, ctx.today, settings), branchFigures(ctx.db, branches.map((b) => b.id), year)]);
  return {
    year,
    today: ctx.today,
    branches: branches.map((b) => {
      const r = due.get(b.id) ?? { items: [], untalked: [] };
      return {
        organizationId: b.id,
        name: b.name,
        overdue: r.items.filter((i) => i.status === 'overdue').map(itemView),
        dueSoon: r.items.filter((i) => i.status === 'due_soon').map(itemView),
        untalkedCount: r.untalked.length,
        // Only the current year has a current quarter; an earlier year's view shows its records alone.
        quarter: year === Number(ctx.today.slice(0, 4)) ? quarterFigures(r.items, ctx.today) : { due: 0, done: 0, overdue: 0 },
        ...(figures.get(b.id) ?? { meetingsHeld: 0, study: { members: 0, met: 0 } }),
      };
    }),
  };
});
