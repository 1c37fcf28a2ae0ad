/**
 * Issue 18.4: "township staff (county staff for township-level complaints) handle it". A complaint about the
 * township committee's own work, or one sent by township staff or by someone with no township, is handled by
 * the county: the township's staff neither see it nor can act on it, county staff take it on and reply, the
 * sender reads the reply. Everything else stays with the township, and the county cannot act on those.
 */
import { randomUUID } from 'node:crypto';
import { and, asc, eq } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { accounts, members } from '../../db/schema/index.js';
import { describeEachDriver } from '../helpers/harness.js';
import { accountIn, branchesOf, townshipId } from '../helpers/townships.js';

const headers = () => ({ 'idempotency-key': `fbc-${randomUUID()}` });
type Item = { id: number; handledBy: string; senderName: string | null; mine: boolean; reply: string | null; assignedToName: string | null };

describeEachDriver('feedback handled by the county', (ctx) => {
  let member: string;
  let staffA: string;
  let staffB: string;
  let county: string;
  beforeAll(async () => {
    const [branch] = await branchesOf(ctx().db, 'A');
    const [m] = await ctx().db.select({ id: accounts.id }).from(accounts).innerJoin(members, eq(members.id, accounts.memberId))
      .where(and(eq(accounts.role, 'member'), eq(members.organizationId, branch!))).orderBy(asc(accounts.id)).limit(1);
    member = await ctx().login('member', m!.id);
    staffA = await ctx().login('staff', await accountIn(ctx().db, 'staff', await townshipId(ctx().db, 'A')));
    staffB = await ctx().login('staff', await accountIn(ctx().db, 'staff', await townshipId(ctx().db, 'B')));
    county = await ctx().login('county');
  });

  const send = (token: string, body: Record<string, unknown>) => ctx().call('POST', '/api/feedback', { token, body, headers: headers() });
  const list = async (token: string) => (await ctx().call('GET', '/api/feedback', { token })).body.items as Item[];
  const find = async (token: string, id: number) => (await list(token)).find((i) => i.id === id);
  const act = (token: string, id: number, what: 'assign' | 'reply' | 'close', body: Record<string, unknown> = {}) =>
    ctx().call('POST', `/api/feedback/${id}/${what}`, { token, body, headers: headers() });
  const openOnDashboard = async (token: string) => (await ctx().call('GET', '/api/dashboard', { token })).body.feedback.open as number;

  it('a complaint about the township committee goes to the county: the township cannot see or act on it, the county replies, the member reads it', async () => {
    const before = { township: await openOnDashboard(staffA), county: await openOnDashboard(county) };
    const sent = await send(member, { kind: 'complaint', topic: 'township', text: '镇里办事总让我们跑好几趟', anonymous: true });
    expect(sent.status, JSON.stringify(sent.body)).toBe(201);
    expect(sent.body.feedback).toMatchObject({ handledBy: 'county', mine: true });
    const id = sent.body.feedback.id as number;

    expect(await find(staffA, id)).toBeUndefined();
    expect(await find(staffB, id)).toBeUndefined();
    expect((await act(staffA, id, 'reply', { reply: '我们来处理' })).status).toBe(404);
    expect((await act(staffA, id, 'close')).status).toBe(404);
    // The township's dashboard counts what the township handles; the county's counts this one.
    expect(await openOnDashboard(staffA)).toBe(before.township);
    expect(await openOnDashboard(county)).toBe(before.county + 1);

    expect(await find(county, id)).toMatchObject({ handledBy: 'county', senderName: null, mine: false });
    expect((await act(county, id, 'assign')).status).toBe(200);
    const replied = await act(county, id, 'reply', { reply: '已转告镇党委整改，一次办结' });
    expect(replied.status, JSON.stringify(replied.body)).toBe(200);
    expect(await find(member, id)).toMatchObject({ reply: '已转告镇党委整改，一次办结', assignedToName: '县委组织部工作人员' });
    expect((await act(county, id, 'close')).body.feedback.state).toBe('closed');
  });

  it('township staff’s own complaint goes to the county; they read it as its sender and cannot handle it themselves', async () => {
    const sent = await send(staffA, { kind: 'suggestion', topic: 'work', text: '希望县里统一安排党课教材' });
    expect(sent.status).toBe(201);
    const id = sent.body.feedback.id as number;
    expect(await find(staffA, id)).toMatchObject({ handledBy: 'county', mine: true, senderName: null });
    expect((await act(staffA, id, 'assign')).status).toBe(404);
    expect((await find(county, id))?.senderName).toEqual(expect.any(String));
    expect((await act(county, id, 'reply', { reply: '已列入明年计划' })).status).toBe(200);
  });

  it('an applicant (no township yet) is answered by the county', async () => {
    const applicant = await ctx().login('applicant');
    const sent = await send(applicant, { kind: 'suggestion', topic: 'app', text: '登记页面能不能再简单一点' });
    expect(sent.status).toBe(201);
    expect(sent.body.feedback.handledBy).toBe('county');
    expect(await find(county, sent.body.feedback.id)).toBeDefined();
    expect(await find(staffA, sent.body.feedback.id)).toBeUndefined();
  });

  it('what a township handles stays with it: county staff do not list it and are refused acting on it', async () => {
    const sent = await send(member, { kind: 'complaint', topic: 'work', text: '村里的通知贴得太高了' });
    expect(sent.body.feedback.handledBy).toBe('township');
    const id = sent.body.feedback.id as number;
    expect(await find(staffA, id)).toBeDefined();
    expect(await find(county, id)).toBeUndefined();
    expect((await act(county, id, 'reply', { reply: '县里答复' })).status).toBe(404);
    expect(await find(staffB, id)).toBeUndefined();
    expect((await act(staffB, id, 'reply', { reply: '别镇答复' })).status).toBe(404);
  });
});
