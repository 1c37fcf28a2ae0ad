/**
 * 投诉建议: scoped (a member sees their own; staff their township's; a secretary
 * only what they sent), anonymous toward the branch (and every officer), handled
 * by staff (take on, reply, close), nothing deletable, counted on the dashboard.
 */
import { randomUUID } from 'node:crypto';
import { and, asc, eq, sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { accounts, feedback, members } from '../../db/schema/index.js';
import { describeEachDriver } from '../helpers/harness.js';

const headers = () => ({ 'idempotency-key': `fb-${randomUUID()}` });

describeEachDriver('feedback', (ctx) => {
  /** A demo member of the given secretary's branch, and that secretary. */
  async function branchPair() {
    const [sec] = await ctx().db.select().from(accounts).where(and(eq(accounts.role, 'secretary'), eq(accounts.isDemo, 1))).orderBy(asc(accounts.id)).limit(1);
    const mine = await ctx().db.select({ id: accounts.id }).from(accounts).innerJoin(members, eq(members.id, accounts.memberId))
      .where(and(eq(accounts.role, 'member'), eq(members.organizationId, sec!.organizationId!))).orderBy(asc(accounts.id));
    return { secretary: await ctx().login('secretary', sec!.id), member: await ctx().login('member', mine[0]!.id), peer: await ctx().login('member', mine[1]!.id) };
  }
  const send = (token: string, body: Record<string, unknown>) => ctx().call('POST', '/api/feedback', { token, body, headers: headers() });

  it('a member sends a suggestion, staff take it on and reply, the member reads the reply; each step in the history', async () => {
    const { member } = await branchPair();
    const staff = await ctx().login('staff');
    const sent = await send(member, { kind: 'suggestion', topic: 'app', text: '希望学习页的字再大一点' });
    expect(sent.status, JSON.stringify(sent.body)).toBe(201);
    expect(sent.body.feedback).toMatchObject({ kind: 'suggestion', topic: 'app', state: 'open', mine: true, reply: null, senderName: null });
    const id = sent.body.feedback.id as number;

    const staffList = await ctx().call('GET', '/api/feedback', { token: staff });
    const seen = staffList.body.items.find((i: { id: number }) => i.id === id);
    expect(seen.senderName).toEqual(expect.any(String));
    expect(staffList.body.openCount).toBeGreaterThanOrEqual(1);

    expect((await ctx().call('POST', `/api/feedback/${id}/assign`, { token: staff, body: {}, headers: headers() })).body.feedback.state).toBe('assigned');
    const replied = await ctx().call('POST', `/api/feedback/${id}/reply`, { token: staff, body: { reply: '已安排调整，谢谢您的建议' }, headers: headers() });
    expect(replied.body.feedback).toMatchObject({ state: 'replied', reply: '已安排调整，谢谢您的建议' });

    const mine = await ctx().call('GET', '/api/feedback', { token: member });
    const own = mine.body.items.find((i: { id: number }) => i.id === id);
    expect(own).toMatchObject({ state: 'replied', reply: '已安排调整，谢谢您的建议', assignedToName: '镇党委工作人员' });
    expect(own.history.map((h: { action: string }) => h.action)).toEqual(['sent', 'assigned', 'replied']);

    const closed = await ctx().call('POST', `/api/feedback/${id}/close`, { token: staff, body: {}, headers: headers() });
    expect(closed.body.feedback.state).toBe('closed');
    const again = await ctx().call('POST', `/api/feedback/${id}/reply`, { token: staff, body: { reply: '再答复' }, headers: headers() });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('conflict');
  });

  it('scoped: a member sees only their own, a secretary not the branch’s, anonymity holds toward every officer', async () => {
    const { member, peer, secretary } = await branchPair();
    const staff = await ctx().login('staff');
    const anon = await send(member, { kind: 'complaint', topic: 'work', text: '村里通知开会总是太临时', anonymous: true });
    expect(anon.status).toBe(201);
    const id = anon.body.feedback.id as number;
    const ids = async (token: string) => ((await ctx().call('GET', '/api/feedback', { token })).body.items as { id: number }[]).map((i) => i.id);
    expect(await ids(member)).toContain(id);
    expect(await ids(peer)).not.toContain(id);
    expect(await ids(secretary)).not.toContain(id);
    const staffView = (await ctx().call('GET', '/api/feedback', { token: staff })).body.items.find((i: { id: number }) => i.id === id);
    expect(staffView).toMatchObject({ anonymous: true, senderName: null });
    // Officers other than township staff cannot handle it; a member cannot either.
    expect((await ctx().call('POST', `/api/feedback/${id}/reply`, { token: secretary, body: { reply: 'x' }, headers: headers() })).status).toBe(403);
    expect((await ctx().call('POST', `/api/feedback/${id}/reply`, { token: member, body: { reply: 'x' }, headers: headers() })).status).toBe(403);
    // The dashboard counts it for staff and for the branch, without saying who.
    const dash = await ctx().call('GET', '/api/dashboard', { token: secretary });
    expect(dash.body.feedback.open).toBeGreaterThanOrEqual(1);
    expect(JSON.stringify(dash.body)).not.toContain('太临时');
  });

  it('length limits, no images, nothing deletable', async () => {
    const { member } = await branchPair();
    expect((await send(member, { kind: 'suggestion', topic: 'app', text: '短' })).status).toBe(400);
    expect((await send(member, { kind: 'suggestion', topic: 'app', text: '长'.repeat(501) })).status).toBe(400);
    expect((await send(member, { kind: 'other', topic: 'app', text: '合法的长度内容' })).status).toBe(400);
    expect((await send(member, { kind: 'suggestion', topic: 'app', text: '合法的长度内容', image: 'x' })).status).toBe(400);
    const ok = await send(member, { kind: 'suggestion', topic: 'app', text: '合法的长度内容' });
    expect(ok.status).toBe(201);
    await expect(ctx().db.delete(feedback).where(eq(feedback.id, ok.body.feedback.id))).rejects.toThrow();
    await expect(ctx().db.execute(sql`update feedback_events set note = 'x' where feedback_id = ${ok.body.feedback.id}`)).rejects.toThrow();
  });
});
