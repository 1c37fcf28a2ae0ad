/** Reads: one transfer, the lists and counts, the letter, and the yearly ledger export. */
import { and, desc, eq, or, sql, type SQL } from 'drizzle-orm';
import * as transfersApi from '../../../shared/transfers.js';
import { capitalNumeral, LEDGER_COLUMNS, overdueOf, TRANSFER_SCOPE_LABELS, TRANSFER_STATE_LABELS } from '../../../shared/transfers.js';
import { GENDER_LABELS, MEMBER_CATEGORY_LABELS } from '../../../shared/common.js';
import type { Db } from '../../../db/client.js';
import { accounts, members, organizations, transfers } from '../../../db/schema/index.js';
import { openIdNumber } from '../../../db/pii.js';
import { piiKeys } from '../../_app/pii.js';
import type { IsoDate } from '../../../shared/calendar.js';
import { writeAuditedRead } from '../../_app/audit.js';
import { disclosedIdentity } from '../../../shared/idcard.js';
import { route } from '../../_app/context.js';
import { createXlsx, type XlsxBook, type XlsxCellKind } from '../../_app/xlsx.js';
import { ApiError, forbidden } from '../../_app/errors.js';
import { LEDGER_SECTION_LABELS, ledgerKindLabel, ledgerSections, ledgerSectionsOf } from '../../../shared/transfer-ledger.js';
import { seesSubtree, townshipOfOrganization } from '../../_app/scope.js';
import { loadVisibleWithConflicts } from './incoming.js';
import { awaitingCaller, ledgerFactsFor, ledgerYearSql, finalStates, loadDetail, loadVisible, overdueSql, toSummary, visibleTo } from './access.js';

// ---------------------------------------------------------------------------
// Reads

export const getTransfer = route(transfersApi.getTransfer, async (ctx) => {
  if (seesSubtree(ctx.user)) {
    const { row, conflicts } = await loadVisibleWithConflicts(ctx.db, ctx.user, ctx.params.id);
    return loadDetail(ctx.db, ctx.user, row, ctx.today, conflicts);
  }
  const t = await loadVisible(ctx.db, ctx.user, ctx.params.id);
  return loadDetail(ctx.db, ctx.user, t, ctx.today);
});

const LIST_LIMIT = 500;

export const listTransfers = route(transfersApi.listTransfers, async (ctx) => {
  const p = ctx.user;
  const q = ctx.query;
  const officer = p.role === 'secretary' || seesSubtree(p);
  if (q.view !== 'mine' && !officer) throw forbidden('待办和台账仅对支部书记和党委工作人员开放');
  if (q.organizationId != null && officer && p.role === 'secretary' && q.organizationId !== p.organizationId) {
    throw forbidden('只能查看本支部的转接记录');
  }

  const mine = or(eq(transfers.applicantAccountId, p.accountId), p.memberId != null ? eq(transfers.memberId, p.memberId) : undefined) as SQL;
  const base = q.view === 'mine' ? mine : visibleTo(p);
  const filters = and(
    base,
    q.view === 'inbox' ? awaitingCaller(p) : undefined,
    q.year != null ? ledgerYearSql(q.year, p) : undefined,
    q.kind ? eq(transfers.kind, q.kind) : undefined,
    q.scope ? eq(transfers.scope, q.scope) : undefined,
    q.state ? eq(transfers.state, q.state) : undefined,
    q.organizationId != null ? or(eq(transfers.fromOrganizationId, q.organizationId), eq(transfers.toOrganizationId, q.organizationId)) : undefined,
    q.overdueOnly ? overdueSql(ctx.today) : undefined,
  );
  const overdue = overdueSql(ctx.today);
  const open = sql`${transfers.state} not in ${finalStates}`;
  const awaiting = officer ? awaitingCaller(p) : sql`false`;

  // Two statements, run side by side: the rows, and the counts over everything the caller may see.
  const [rows, countRows] = await Promise.all([
    ctx.db
      .select()
      .from(transfers)
      .where(filters)
      .orderBy(desc(overdue), desc(open), desc(transfers.appliedOn), desc(transfers.id))
      .limit(LIST_LIMIT),
    ctx.db
      .select({
        state: transfers.state,
        awaiting: sql<number>`count(*) filter (where ${awaiting})`.mapWith(Number),
        overdue: sql<number>`count(*) filter (where ${overdue})`.mapWith(Number),
        open: sql<number>`count(*) filter (where ${open})`.mapWith(Number),
      })
      .from(transfers)
      .where(q.view === 'mine' ? mine : visibleTo(p))
      .groupBy(transfers.state),
  ]);
  const counts = { awaitingMe: 0, byState: {} as Record<string, number>, overdue: 0, open: 0 };
  for (const c of countRows) {
    counts.awaitingMe += c.awaiting;
    counts.overdue += c.overdue;
    counts.open += c.open;
    if (c.awaiting > 0) counts.byState[c.state] = c.awaiting;
  }
  return { transfers: rows.map((r) => toSummary(r, ctx.today, p)), counts };
});

export const getLetter = route(transfersApi.getLetter, async (ctx) => {
  const t = await loadVisible(ctx.db, ctx.user, ctx.params.id);
  if (!t.letterNumber || !t.letterIssuedOn || !t.validityDays || !t.letterExpiresOn || !t.letterAddressee) {
    throw new ApiError('not_found', '这项转接尚未开具介绍信');
  }
  const townshipName = await townshipNameFor(ctx.db, t.fromOrganizationId);
  return {
    transferId: t.id,
    letterNumber: t.letterNumber,
    townshipName,
    letterAddressee: t.letterAddressee,
    memberName: t.memberName,
    gender: t.gender,
    ethnicity: t.ethnicity,
    category: t.category,
    idNumberMasked: disclosedIdentity(t).idNumberMasked,
    fromOrganizationName: t.fromOrganizationName,
    toOrganizationName: t.toOrganizationName,
    duesPaidThrough: t.duesPaidThrough,
    issuedOn: t.letterIssuedOn,
    validityDays: t.validityDays,
    validityDaysCapital: capitalNumeral(t.validityDays),
    expiresOn: t.letterExpiresOn,
    receiptReceivedOn: t.receiptReceivedOn,
    state: t.state,
  };
});

/**
 * The printed letter's full ID number: from the transfer's own sealed copy (转入)
 * or the member's roster row (转出). Audited before the number leaves the
 * server, in the same transaction, under the reveal's per-minute limit.
 */
export const printLetter = route(transfersApi.printLetter, async (ctx) => {
  const t = await loadVisible(ctx.db, ctx.user, ctx.params.id);
  if (!t.letterNumber) throw new ApiError('not_found', '这项转接尚未开具介绍信');
  // The letter is printed by the committee that issued it; the township a 县内跨镇转接 joins reads it on screen.
  if (t.fromTownshipId != null && t.fromTownshipId !== ctx.user.organizationId) throw forbidden('介绍信由开具的乡镇党委打印');
  return ctx.db.transaction(async (tx) => {
    let cipher = t.idCipher;
    if (!cipher && t.memberId != null) {
      const [m] = await tx.select({ idCipher: members.idCipher }).from(members).where(eq(members.id, t.memberId));
      cipher = m?.idCipher ?? null;
    }
    if (!cipher) throw new ApiError('not_found', '找不到该党员的身份证号');
    await writeAuditedRead(tx as unknown as Db, ctx.user, { action: 'transfer.letter_print', targetType: 'transfer', targetId: t.id, details: { letterNumber: t.letterNumber } }, ctx.now, ctx.deps.config.auditedReadRateLimit);
    return { idNumber: openIdNumber(cipher, piiKeys(ctx)) };
  });
});

async function townshipNameFor(db: Db, organizationId: number | null): Promise<string> {
  if (organizationId == null) return '';
  const [row] = await db
    .select({ name: organizations.name })
    .from(organizations)
    .where(sql`${organizations.id} = ${townshipOfOrganization(organizationId)}`);
  return row?.name ?? '';
}

export const exportLedger = route(transfersApi.exportLedger, async (ctx) => {
  const p = ctx.user;
  const year = ctx.query.year;
  const rows = await ctx.db
    .select({ t: transfers, handler: accounts.displayName })
    .from(transfers)
    .leftJoin(accounts, eq(accounts.id, transfers.approverAccountId))
    .where(and(visibleTo(p), ledgerYearSql(year, p)));
  // Letters by township and number, then the transfers without one of ours by filing date: each its own sheet.
  const sections = ledgerSectionsOf(rows.map((r) => ({ ...r, ...ledgerFactsFor(p, r.t), t: r.t })), year);
  await writeAuditedRead(ctx.db, p, { action: 'transfer.ledger_export', targetType: 'transfer', details: { year, rows: rows.length } }, ctx.now, ctx.deps.config.auditedReadRateLimit);

  const book = await createXlsx(ctx.now);
  for (const section of ledgerSections) {
    writeLedgerSheet(book, `${year}年${LEDGER_SECTION_LABELS[section]}`, sections[section], ctx.today);
  }
  return book.toFile(`${year}年组织关系转接台账.xlsx`);
});

type LedgerRow = { t: typeof transfers.$inferSelect; handler: string | null; letterOfAnotherTownship?: boolean };

// 开具日期 and 回执日期 are date cells, 序号 a number, the rest text (letter numbers keep their form).
const ledgerCellKind = (header: string): XlsxCellKind => (header.endsWith('日期') ? 'date' : header === '序号' ? 'number' : 'text');

function writeLedgerSheet(book: XlsxBook, name: string, rows: readonly LedgerRow[], today: IsoDate): void {
  const widths = [6, 10, 6, 8, 10, 20, 24, 10, 12, 12, 10, 12, 16, 10, 10];
  const sheet = book.addTable(
    name,
    LEDGER_COLUMNS.map((header, i) => ({ header, key: `c${i}`, width: widths[i] ?? 12, kind: ledgerCellKind(header) })),
  );
  rows.forEach(({ t, handler, letterOfAnotherTownship = false }, i) => {
    // Our side first: a 转入, or a 县内跨镇转接 in the ledger of the township it joins, is ours on its receiving end.
    const incoming = t.kind === 'in' || letterOfAnotherTownship;
    const ours = incoming ? t.toOrganizationName : t.fromOrganizationName;
    const theirs = incoming ? t.fromOrganizationName : t.toOrganizationName;
    const late = overdueOf(t, today);
    const stateText = TRANSFER_STATE_LABELS[t.state] + (late.receiptOverdue ? '（回执逾期）' : late.letterExpired ? '（介绍信过期）' : '');
    const values = [
      i + 1,
      t.memberName,
      GENDER_LABELS[t.gender],
      t.ethnicity,
      MEMBER_CATEGORY_LABELS[t.category],
      ours,
      theirs,
      TRANSFER_SCOPE_LABELS[t.scope],
      t.letterNumber ?? (t.kind === 'in' ? (t.incomingLetterNumber ?? '') : ''),
      t.letterIssuedOn ?? '',
      t.validityDays ? `${t.validityDays}天` : '',
      t.receiptReceivedOn ?? '',
      stateText,
      handler ?? '',
      ledgerKindLabel(t.kind, letterOfAnotherTownship),
    ];
    sheet.addRow(Object.fromEntries(values.map((v, j) => [`c${j}`, v])));
  });
}
