/**
 * "进度提醒我" (issue 18.6): a member who accepted one WeChat subscribe message after filing a transfer
 * gets exactly one, at the next step someone else takes, to their own openid; nobody else does, a
 * replayed step sends nothing, and WeChat refusing never fails the step.
 */
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { transferSubscriptions } from '../../db/schema/index.js';
import { describeEachDriver } from '../helpers/harness.js';
import { branchesOf } from '../helpers/townships.js';
import { transferSuite, type Person } from '../helpers/transfer-suite.js';
import { startSubscribeStub, subscribeStubEnv } from '../helpers/wechat-stub.js';

const TEMPLATE = 'tmpl-transfer-progress';

const stub = await startSubscribeStub();
afterAll(() => stub.close());

describeEachDriver(
  'transfer progress reminder (one WeChat subscribe message per acceptance)',
  (c) => {
    const s = transferSuite(c);
    let townshipA: number[] = [];

    beforeAll(async () => {
      // Each driver's copy of the demo township has the same openids: count only this half's messages.
      stub.sent.length = 0;
      // Township A's members: its staff (the demo staff) set the template and approve.
      townshipA = await branchesOf(c().db, 'A');
    });

    const takeMember = () => s.takeMember(townshipA);
    const secretaryOf = (p: Person) => s.secretaryOf(p.organizationId);
    const step = s.post;
    const applyOut = (p: Person) => s.applyOut(p);
    const staffToken = () => s.staffToken;
    const subscribe = (id: number, token: string, templateId = TEMPLATE) => c().call('POST', `/api/transfers/${id}/progress-reminder`, { token, body: { templateId } });
    const sentTo = (openid: string) => stub.sent.filter((m) => m.touser === openid);

    it('without a template the button has nothing to offer: the read answers null and an acceptance is refused', async () => {
      const p = await takeMember();
      const template = await c().call('GET', '/api/transfers/progress-reminder', { token: p.token });
      expect(template.status).toBe(200);
      expect(template.body).toEqual({ templateId: null });
      const t = await applyOut(p);
      const res = await subscribe(t.id, p.token);
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({ error: { code: 'conflict', message: expect.any(String) } });
    });

    it('staff set the template on the settings page; members of the township then read it', async () => {
      const put = await c().call('PUT', '/api/settings', { token: staffToken(), body: { transferProgressTemplateId: TEMPLATE }, headers: { 'idempotency-key': randomUUID() } });
      expect(put.status, JSON.stringify(put.body)).toBe(200);
      expect(put.body).toMatchObject({ effective: { transferProgressTemplateId: TEMPLATE }, sources: { transferProgressTemplateId: 'township' } });
      const p = await takeMember();
      const template = await c().call('GET', '/api/transfers/progress-reminder', { token: p.token });
      expect(template.body).toEqual({ templateId: TEMPLATE });
      s.putBack(p);
    });

    it('an accepted reminder is sent once, to the member’s openid, at the next step; later steps send nothing', async () => {
      const p = await takeMember();
      const t = await applyOut(p);
      const accepted = await subscribe(t.id, p.token);
      expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
      expect(accepted.body).toEqual({ transferId: t.id, subscribed: true });
      // Recording the same acceptance again changes nothing.
      expect((await subscribe(t.id, p.token)).status).toBe(200);

      const reviewed = await step(t.id, 'review', secretaryOf(p), { decision: 'approve', version: 1 });
      expect(reviewed.status, JSON.stringify(reviewed.body)).toBe(200);
      expect(sentTo(p.openid)).toHaveLength(1);
      expect(sentTo(p.openid)[0]).toMatchObject({
        template_id: TEMPLATE,
        page: `packages/transfers/detail/index?id=${t.id}`,
        data: { thing1: { value: '组织关系转接' }, thing2: { value: expect.stringContaining('待党委审批') }, date3: { value: '2026-06-15' } },
      });
      const [row] = await c().db.select().from(transferSubscriptions).where(eq(transferSubscriptions.transferId, t.id));
      expect(row).toMatchObject({ accountId: p.accountId, templateId: TEMPLATE, lastError: null });
      expect(row?.usedAt).toBeInstanceOf(Date);
      expect(row?.sentAt).toBeInstanceOf(Date);

      // Spent: the letter is issued without a second message.
      const approved = await step(t.id, 'approve', staffToken(), { version: 2 });
      expect(approved.status).toBe(200);
      expect(approved.body.state).toBe('letter_issued');
      expect(sentTo(p.openid)).toHaveLength(1);

      // A new acceptance arms it again: the 回执 (completed) sends one more.
      expect((await subscribe(t.id, p.token)).status).toBe(200);
      const completed = await step(t.id, 'receipt', staffToken(), { version: 3 });
      expect(completed.body.state).toBe('completed');
      expect(sentTo(p.openid)).toHaveLength(2);
      expect(sentTo(p.openid)[1]?.data.thing2?.value).toContain('已完成');
      // A finished transfer takes no more acceptances.
      expect((await subscribe(t.id, p.token)).status).toBe(409);
    });

    it('a member who did not accept gets nothing, through approval and rejection', async () => {
      const p = await takeMember();
      const t = await applyOut(p);
      expect((await step(t.id, 'review', secretaryOf(p), { decision: 'approve', version: 1 })).status).toBe(200);
      expect((await step(t.id, 'approve', staffToken(), { version: 2 })).status).toBe(200);
      const q = await takeMember();
      const u = await applyOut(q);
      expect((await step(u.id, 'reject', secretaryOf(q), { reason: '材料不全', version: 1 })).status).toBe(200);
      expect(sentTo(p.openid)).toHaveLength(0);
      expect(sentTo(q.openid)).toHaveLength(0);
    });

    it('a rejection is a step too: the member who accepted is told once', async () => {
      const p = await takeMember();
      const t = await applyOut(p);
      expect((await subscribe(t.id, p.token)).status).toBe(200);
      const rejected = await step(t.id, 'reject', secretaryOf(p), { reason: '请补充党费交纳证明', version: 1 });
      expect(rejected.status).toBe(200);
      expect(sentTo(p.openid)).toHaveLength(1);
      expect(sentTo(p.openid)[0]?.data).toMatchObject({ thing2: { value: expect.stringContaining('未通过') }, thing4: { value: '请补充党费交纳证明' } });
    });

    it('only the member the transfer moves may accept, and only the township’s current template', async () => {
      const p = await takeMember();
      const peer = await takeMember();
      const t = await applyOut(p);
      expect((await subscribe(t.id, peer.token)).status).toBe(404);
      expect((await subscribe(t.id, secretaryOf(p))).status).toBe(404);
      expect((await subscribe(t.id, p.token, 'tmpl-some-other-one')).status).toBe(409);
      const rows = await c().db.select().from(transferSubscriptions).where(eq(transferSubscriptions.transferId, t.id));
      expect(rows).toEqual([]);
    });

    it('the member’s own withdrawal does not spend it, and a replayed step sends nothing', async () => {
      const p = await takeMember();
      const t = await applyOut(p);
      expect((await subscribe(t.id, p.token)).status).toBe(200);
      const key = randomUUID();
      const first = await step(t.id, 'review', secretaryOf(p), { decision: 'approve', version: 1 }, key);
      expect(first.status).toBe(200);
      expect((await subscribe(t.id, p.token)).status).toBe(200);
      // The answer was lost; the secretary's phone resends the same step with the same key.
      const replay = await step(t.id, 'review', secretaryOf(p), { decision: 'approve', version: 1 }, key);
      expect(replay.status).toBe(200);
      expect(sentTo(p.openid)).toHaveLength(1);
      const withdrawn = await step(t.id, 'withdraw', p.token, { version: 2 });
      expect(withdrawn.status, JSON.stringify(withdrawn.body)).toBe(200);
      expect(sentTo(p.openid)).toHaveLength(1);
      const [row] = await c().db.select().from(transferSubscriptions).where(eq(transferSubscriptions.transferId, t.id));
      expect(row?.usedAt).toBeNull();
    });

    it('WeChat refusing the message never fails the step: the row keeps why', async () => {
      const p = await takeMember();
      stub.refuse.add(p.openid);
      const t = await applyOut(p);
      expect((await subscribe(t.id, p.token)).status).toBe(200);
      const reviewed = await step(t.id, 'review', secretaryOf(p), { decision: 'approve', version: 1 });
      expect(reviewed.status).toBe(200);
      expect(reviewed.body.state).toBe('pending_committee');
      expect(sentTo(p.openid)).toHaveLength(0);
      const [row] = await c().db.select().from(transferSubscriptions).where(eq(transferSubscriptions.transferId, t.id));
      expect(row?.sentAt).toBeNull();
      expect(row?.lastError).toContain('43101');
    });
  },
  { env: subscribeStubEnv(stub) },
);
