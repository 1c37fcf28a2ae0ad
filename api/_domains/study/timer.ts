/**
 * Timed self-study (计时学习): start, presence confirmations, finish. The
 * member's own tool: credit is the time they were there (shared/study-timer.ts),
 * split at Shanghai midnight; nothing here is shown to anyone else.
 */
import { sql } from 'drizzle-orm';
import * as studyApi from '../../../shared/study.js';
import * as timerApi from '../../../shared/study-timer.js';
import { isCounting, sessionCredit, type TimerFacts } from '../../../shared/study-timer.js';
import type { StudyEntry } from '../../../shared/study.js';
import { resolveQueuedTime } from '../../../shared/queued-writes.js';
import { writeAudit } from '../../_app/audit.js';
import { queryRows, type Db } from '../../../db/client.js';
import { JsonResponse, route, type Ctx } from '../../_app/context.js';
import { ApiError, isUniqueViolation, notFound } from '../../_app/errors.js';
import { withIdempotency } from '../../_app/idempotency.js';
import { alias } from 'drizzle-orm/pg-core';
import { members, studyEntries, studySessions } from '../../../db/schema/index.js';
import { col, cols } from '../../../db/sql.js';
import { entryJson, type EntryRow, sessionJson, type SessionRow, activeMember, candidates, creditStatement, ownMemberId, toEntry, toSession } from './sql.js';

const s = alias(studySessions, 's');
const e = alias(studyEntries, 'e');
const m = alias(members, 'm');
/** The session's JSON with its member (what closing it needs). */
const openSessionJson = sql`${sessionJson('s')}::jsonb || jsonb_build_object('memberId', ${s.memberId})`;

type OpenSession = SessionRow & Pick<typeof studySessions.$inferSelect, 'memberId'>;

const factsOf = (r: SessionRow): TimerFacts => ({ startedAt: new Date(r.startedAt), lastSeenAt: r.lastSeenAt ? new Date(r.lastSeenAt) : null });

/**
 * Closes an open session at `ctx.now`: credit ends at the finish, the last
 * presence confirmation plus the grace, or the cap, whichever is first; one
 * entry per Shanghai day it spans (each rolled into that day's study_days).
 */
async function creditSession(
  tx: Db,
  ctx: Ctx,
  session: OpenSession,
  organizationId: number,
  /** A finish queued offline: closed when the member tapped it (shared/queued-writes.ts), not when it arrived. */
  queued: { at: Date; late: boolean } | null = null,
) {
  const closedAt = queued ? new Date(Math.max(queued.at.getTime(), new Date(session.startedAt).getTime())) : ctx.now;
  const credit = sessionCredit(factsOf(session), closedAt);
  const lastDay = credit.days.at(-1)?.day ?? null;
  const [updated] = await queryRows<{ s: SessionRow }>(
    tx,
    sql`update ${studySessions} ${s} set ${col(s.status)} = ${credit.status}, ${col(s.finishedAt)} = ${closedAt.toISOString()}::timestamptz,
          ${col(s.creditedMinutes)} = ${credit.minutes}::int, ${col(s.creditedDay)} = ${lastDay}::date
        where ${s.id} = ${session.id}::int and ${s.status} = 'open'
        returning ${sessionJson('s')} as s`,
  );
  if (!updated) return null; // finished concurrently
  const entries: StudyEntry[] = [];
  for (const { day, minutes } of credit.days) {
    const [row] = await queryRows<{ entry: EntryRow }>(
      tx,
      creditStatement({
        rows: candidates(sql`${session.memberId}::int`, sql`${organizationId}::int`),
        day,
        minutes,
        way: session.way,
        topic: session.topic,
        source: 'timer',
        sessionId: session.id,
        eventId: null,
        accountId: ctx.user.accountId,
        now: ctx.now,
        conflictTarget: sql`${cols(e.sessionId, e.day)} where ${col(e.sessionId)} is not null`,
        recordedAt: queued?.at ?? null,
        offlineLate: queued?.late ?? false,
      }),
    );
    if (row) entries.push(toEntry(row.entry));
  }
  return { session: toSession(updated.s), entries };
}

const OPEN_CONFLICT = '您已有一个正在计时的学习，请先结束它';

export const startSession = route(studyApi.startSession, async (ctx) => {
  const memberId = ownMemberId(ctx.user);
  return withIdempotency(ctx, 'study.session.start', async (tx) => {
    const member = await activeMember(tx, memberId);
    const [open] = await queryRows<{ s: OpenSession }>(
      tx,
      sql`select ${openSessionJson} as s
          from ${studySessions} ${s} where ${s.memberId} = ${memberId}::int and ${s.status} = 'open' for update`,
    );
    if (open) {
      if (isCounting(factsOf(open.s), ctx.now)) throw new ApiError('conflict', OPEN_CONFLICT, { session: toSession(open.s) });
      // Left open (the page closed, the cap reached): close it at its last presence before starting anew.
      await creditSession(tx, ctx, open.s, member.organizationId);
    }
    try {
      const [row] = await queryRows<{ s: SessionRow }>(
        tx,
        sql`insert into ${studySessions} as ${s} ${cols(s.memberId, s.way, s.topic, s.startedAt, s.lastSeenAt)}
            values (${memberId}::int, ${ctx.body.way}, ${ctx.body.topic}, ${ctx.now.toISOString()}::timestamptz, ${ctx.now.toISOString()}::timestamptz)
            returning ${sessionJson('s')} as s`,
      );
      if (!row) throw new Error('session not created');
      return new JsonResponse(201, { session: toSession(row.s) });
    } catch (err) {
      if (isUniqueViolation(err, 'study_sessions_one_open_uq')) throw new ApiError('conflict', OPEN_CONFLICT);
      throw err;
    }
  });
});

async function loadOwn(tx: Db, id: number, memberId: number) {
  const [row] = await queryRows<{ s: OpenSession; entries: EntryRow[] } & Pick<typeof members.$inferSelect, 'organizationId'>>(
    tx,
    sql`select ${openSessionJson} as s,
               coalesce((select json_agg(${entryJson('e')} order by ${e.day}) from ${studyEntries} ${e} where ${e.sessionId} = ${s.id}), '[]'::json) as entries,
               ${m.organizationId} as "organizationId"
        from ${studySessions} ${s} join ${members} ${m} on ${m.id} = ${s.memberId}
        where ${s.id} = ${id}::int and ${s.memberId} = ${memberId}::int`,
  );
  return row;
}

/**
 * The open page confirms presence: one UPDATE while the session is still
 * counting. A confirmation after the grace ran out closes the session at the
 * last one instead (the gap was not study); a closed session answers as it is.
 */
export const confirmPresence = route(timerApi.confirmPresence, async (ctx) => {
  const memberId = ownMemberId(ctx.user);
  const now = ctx.now.toISOString();
  const [seen] = await queryRows<{ s: SessionRow }>(
    ctx.db,
    sql`update ${studySessions} ${s} set ${col(s.lastSeenAt)} = ${now}::timestamptz
        where ${s.id} = ${ctx.params.id}::int and ${s.memberId} = ${memberId}::int and ${s.status} = 'open'
          and ${now}::timestamptz <= least(coalesce(${s.lastSeenAt}, ${s.startedAt}) + ${timerApi.PRESENCE_GRACE_MINUTES} * interval '1 minute',
                                           ${s.startedAt} + ${studyApi.SESSION_CAP_MINUTES} * interval '1 minute')
        returning ${sessionJson('s')} as s`,
  );
  if (seen) return { session: toSession(seen.s), entries: [], minutesSoFar: sessionCredit(factsOf(seen.s), ctx.now).minutes };
  return ctx.db.transaction(async (tx) => {
    const found = await loadOwn(tx, ctx.params.id, memberId);
    if (!found) throw notFound('计时记录');
    if (found.s.status === 'open') {
      const closed = await creditSession(tx, ctx, found.s, found.organizationId);
      if (closed) return { ...closed, minutesSoFar: closed.session.creditedMinutes ?? 0 };
    }
    const again = (await loadOwn(tx, ctx.params.id, memberId)) ?? found;
    return { session: toSession(again.s), entries: again.entries.map(toEntry), minutesSoFar: again.s.creditedMinutes ?? 0 };
  });
});

export const finishSession = route(studyApi.finishSession, async (ctx) => {
  const memberId = ownMemberId(ctx.user);
  return withIdempotency(ctx, 'study.session.finish', async (tx) => {
    const found = await loadOwn(tx, ctx.params.id, memberId);
    if (!found) throw notFound('计时记录');
    if (found.s.status === 'open') {
      const when = resolveQueuedTime(ctx.body.queued, ctx.now);
      if (!when.ok) throw new ApiError('unprocessable', when.message, { reason: when.reason });
      const credited = await creditSession(tx, ctx, found.s, found.organizationId, ctx.body.queued ? when : null);
      if (credited && when.late) {
        await writeAudit(tx, ctx.user, {
          action: 'study.offline_finish', targetType: 'study_session', targetId: found.s.id,
          details: { offlineLate: true, recordedAt: when.at.toISOString(), minutes: credited.session.creditedMinutes },
        }, ctx.now);
      }
      if (credited) return credited;
    }
    // Already finished (a retry with a new key, or a double tap): the same answer again.
    const again = (await loadOwn(tx, ctx.params.id, memberId)) ?? found;
    return { session: toSession(again.s), entries: again.entries.map(toEntry) };
  });
});
