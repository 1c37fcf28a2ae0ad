/** Timed self-study (计时学习): start and finish; the member's own tool. */
import { sql } from 'drizzle-orm';
import { shanghaiDate } from '../../../shared/calendar.js';
import * as studyApi from '../../../shared/study.js';
import { sessionCreditMinutes, sessionExpiresAt, type StudyEntry } from '../../../shared/study.js';
import type { Db } from '../../../db/client.js';
import { JsonResponse, route, type Ctx } from '../../_app/context.js';
import { ApiError, isUniqueViolation, notFound } from '../../_app/errors.js';
import { withIdempotency } from '../../_app/idempotency.js';
import { ENTRY_JSON, type EntryRow, SESSION_JSON, type SessionRow, activeMember, creditStatement, ownMemberId, queryRows, toEntry, toSession } from './sql.js';

// ---------------------------------------------------------------- timed sessions

async function creditSession(tx: Db, ctx: Ctx, session: SessionRow & { member_id: number }, organizationId: number) {
  const startedAt = new Date(session.started_at);
  const expiresAt = sessionExpiresAt(startedAt);
  const expired = ctx.now.getTime() > expiresAt.getTime();
  const minutes = sessionCreditMinutes(startedAt, ctx.now);
  // Minutes land on the day the session stopped counting: the finish day, or
  // for a session left open past its cap, the day the cap was reached.
  const day = shanghaiDate(expired ? expiresAt : ctx.now);
  const [updated] = await queryRows<{ s: SessionRow }>(
    tx,
    sql`update study_sessions s set status = ${expired ? 'expired' : 'finished'}, finished_at = ${ctx.now.toISOString()}::timestamptz,
          credited_minutes = ${minutes}::int, credited_day = ${day}::date
        where s.id = ${session.id}::int and s.status = 'open'
        returning ${SESSION_JSON('s')} as s`,
  );
  if (!updated) return null; // finished concurrently
  let entry: StudyEntry | null = null;
  if (minutes > 0) {
    const [row] = await queryRows<{ entry: EntryRow }>(
      tx,
      creditStatement({
        rows: sql`select ${session.member_id}::int as member_id, ${organizationId}::int as organization_id`,
        day,
        minutes,
        way: session.way,
        topic: session.topic,
        source: 'timer',
        sessionId: session.id,
        eventId: null,
        accountId: ctx.user.accountId,
        now: ctx.now,
        conflictTarget: sql`(session_id) where session_id is not null`,
      }),
    );
    entry = row ? toEntry(row.entry) : null;
  }
  return { session: toSession(updated.s), entry };
}
export const startSession = route(studyApi.startSession, async (ctx) => {
  const memberId = ownMemberId(ctx.user);
  return withIdempotency(ctx, 'study.session.start', async (tx) => {
    const member = await activeMember(tx, memberId);
    const [open] = await queryRows<{ s: SessionRow & { member_id: number } }>(
      tx,
      sql`select ${SESSION_JSON('s')}::jsonb || jsonb_build_object('member_id', s.member_id) as s
          from study_sessions s where s.member_id = ${memberId}::int and s.status = 'open' for update`,
    );
    if (open) {
      if (ctx.now.getTime() <= sessionExpiresAt(new Date(open.s.started_at)).getTime()) {
        throw new ApiError('conflict', '您已有一个正在计时的学习，请先结束它', { session: toSession(open.s) });
      }
      // Left open past its cap: close it (credited the cap) before starting anew.
      await creditSession(tx, ctx, open.s, member.organization_id);
    }
    try {
      const [row] = await queryRows<{ s: SessionRow }>(
        tx,
        sql`insert into study_sessions as s (member_id, way, topic, started_at)
            values (${memberId}::int, ${ctx.body.way}, ${ctx.body.topic}, ${ctx.now.toISOString()}::timestamptz)
            returning ${SESSION_JSON('s')} as s`,
      );
      if (!row) throw new Error('session not created');
      return new JsonResponse(201, { session: toSession(row.s) });
    } catch (err) {
      if (isUniqueViolation(err, 'study_sessions_one_open_uq')) throw new ApiError('conflict', '您已有一个正在计时的学习，请先结束它');
      throw err;
    }
  });
});

export const finishSession = route(studyApi.finishSession, async (ctx) => {
  const memberId = ownMemberId(ctx.user);
  return withIdempotency(ctx, 'study.session.finish', async (tx) => {
    const load = async () => {
      const [row] = await queryRows<{ s: SessionRow & { member_id: number }; entry: EntryRow | null; organization_id: number }>(
        tx,
        sql`select ${SESSION_JSON('s')}::jsonb || jsonb_build_object('member_id', s.member_id) as s,
                   (select ${ENTRY_JSON('e')} from study_entries e where e.session_id = s.id) as entry,
                   m.organization_id
            from study_sessions s join members m on m.id = s.member_id
            where s.id = ${ctx.params.id}::int and s.member_id = ${memberId}::int`,
      );
      return row;
    };
    const found = await load();
    if (!found) throw notFound('计时记录');
    if (found.s.status === 'open') {
      const credited = await creditSession(tx, ctx, found.s, found.organization_id);
      if (credited) return credited;
    }
    // Already finished (a retry with a new key, or a double tap): the same answer again.
    const again = (await load()) ?? found;
    return { session: toSession(again.s), entry: again.entry ? toEntry(again.entry) : null };
  });
});
