/**
 * 消息中心: each event writes its message for the accounts it concerns and no one else (another branch's secretary,
 * township B's staff see nothing of township A's); read/unread per account, marking idempotent, paging. The
 * reminders are in messages-reminders.test.ts.
 */
import { expect, it } from 'vitest';
import { addDays } from '../../shared/calendar.js';
import { makeIdNumber, makePhone } from '../../db/seed/identity.js';
import { statementCounter } from '../../db/client.js';
import { describeEachDriver, type TestContext } from '../helpers/harness.js';
import { consentingApplicant } from '../helpers/privacy.js';
import { headers, messageCentre, nextSeq, type Msg } from '../helpers/message-centre.js';
import { sameCountyOutBody } from '../helpers/transfer-bodies.js';

describeEachDriver('message centre: events', (ctx) => {
  const { list, about, post, newMember, people } = messageCentre(ctx);

  /**
   * A consenting applicant's 登记 into branch A, born the suite's next number of days after `bornFrom` (the Neon
   * run 40 days later still, so the two drivers' ID numbers differ), ID serial and phone offset by that number too.
   */
  async function register(t: TestContext, branchA: number, who: { gender: 'male' | 'female'; bornFrom: string; idSerial: number; phone: number }) {
    const n = nextSeq();
    const birthDate = addDays(who.bornFrom, n + (t.driver === 'neon' ? 40 : 0));
    const applicant = await consentingApplicant(t);
    const reg = await post<{ id: number }>('/api/registrations', applicant, {
      name: '登记人',
      gender: who.gender,
      ethnicity: '汉族',
      birthDate,
      idNumber: makeIdNumber(birthDate, who.gender, who.idSerial + n, '110106'),
      phone: makePhone(who.phone + n),
      organizationId: branchA,
      category: 'full',
      joinedAt: '2012-07-01',
      confirmedAt: '2013-07-01',
    });
    return { applicant, reg };
  }

  it('a registration decided: the applicant gets the message, nobody else; /api/me counts it as unread', async () => {
    const t = ctx();
    const who = await people(t);
    const { applicant, reg } = await register(t, who.branchA, { gender: 'female', bornFrom: '1988-02-01', idSerial: 300, phone: 8000 });
    expect(await about(applicant, 'registration', reg.id)).toEqual([]);
    await post(`/api/registrations/${reg.id}/approve`, who.secretaryA);

    const [m] = await about(applicant, 'registration', reg.id);
    expect(m).toMatchObject({ kind: 'registration_approved', title: '您的党员登记已通过审核', read: false });
    const me = await t.call<{ unreadMessages: number }>('GET', '/api/me', { token: applicant });
    expect(me.body.unreadMessages).toBe((await list(applicant)).unreadCount);
    expect(me.body.unreadMessages).toBeGreaterThanOrEqual(1);
    for (const other of [who.secretaryA, who.secretaryB, who.staffA, who.staffB, who.county]) expect(await about(other, 'registration', reg.id)).toEqual([]);
  });

  it('a rejected registration tells the applicant why', async () => {
    const t = ctx();
    const who = await people(t);
    const { applicant, reg } = await register(t, who.branchA, { gender: 'male', bornFrom: '1989-04-01', idSerial: 400, phone: 8500 });
    await post(`/api/registrations/${reg.id}/reject`, who.staffA, { reason: '入党日期与档案不符' });
    const [m] = await about(applicant, 'registration', reg.id);
    expect(m).toMatchObject({ kind: 'registration_rejected' });
    expect(m!.body).toContain('入党日期与档案不符');
  });

  it('each transfer step: the member hears what happened, the officers of the next step get a 待办, nobody outside', async () => {
    const t = ctx();
    const who = await people(t);
    const subject = await newMember(t, who.branchA);
    const filed = await post<{ id: number; version: number }>('/api/transfers', subject.token, sameCountyOutBody());
    const kinds = async (token: string) => (await about(token, 'transfer', filed.id)).map((m) => m.kind);
    // Filed: the branch's secretary must review it; the member filed it themselves and is not told of their own act.
    expect(await kinds(who.secretaryA)).toEqual(['transfer_todo']);
    expect(await kinds(subject.token)).toEqual([]);
    expect(await kinds(who.staffA)).toEqual([]);

    const reviewed = await post<{ version: number }>(`/api/transfers/${filed.id}/review`, who.secretaryA, { decision: 'approve', version: filed.version });
    expect(await kinds(subject.token)).toEqual(['transfer_step']);
    expect(await kinds(who.staffA)).toEqual(['transfer_todo']);
    expect(await kinds(who.secretaryA)).toEqual(['transfer_todo']);

    await post(`/api/transfers/${filed.id}/approve`, who.staffA, { version: reviewed.version });
    const steps = await about(subject.token, 'transfer', filed.id);
    expect(steps.map((m) => m.kind)).toEqual(['transfer_step', 'transfer_step']);
    expect(steps[0]!.body).toContain('已开介绍信，待回执');

    for (const outsider of [who.secretaryB, who.staffB, who.secretaryOfB, who.county]) expect(await kinds(outsider)).toEqual([]);
  });

  it('a reply to a complaint reaches its sender only', async () => {
    const t = ctx();
    const who = await people(t);
    const sender = await newMember(t, who.branchA);
    const sent = await post<{ feedback: { id: number } }>('/api/feedback', sender.token, { kind: 'complaint', topic: 'work', text: '通知开会太临时了' });
    const id = sent.feedback.id;
    await post(`/api/feedback/${id}/assign`, who.staffA);
    expect(await about(sender.token, 'feedback', id)).toEqual([]);
    await post(`/api/feedback/${id}/reply`, who.staffA, { reply: '以后提前三天通知' });
    const [m] = await about(sender.token, 'feedback', id);
    expect(m).toMatchObject({ kind: 'feedback_replied', title: '您的投诉有了答复' });
    expect(m!.body).toContain('以后提前三天通知');
    for (const other of [who.secretaryA, who.staffA, who.staffB]) expect(await about(other, 'feedback', id)).toEqual([]);
  });

  it('mark read is idempotent and only the owner may; mark all read; newest first, paged', async () => {
    const t = ctx();
    const who = await people(t);
    const sender = await newMember(t, who.branchA);
    for (const text of ['第一条建议内容', '第二条建议内容', '第三条建议内容']) {
      const sent = await post<{ feedback: { id: number } }>('/api/feedback', sender.token, { kind: 'suggestion', topic: 'app', text });
      await post(`/api/feedback/${sent.feedback.id}/reply`, who.staffA, { reply: `收到：${text}` });
    }
    const all = await list(sender.token);
    expect(all.items.map((m) => m.id)).toEqual([...all.items.map((m) => m.id)].sort((a, b) => b - a));
    expect(all.unreadCount).toBe(3);
    expect(all.items[0]!.body).toContain('第三条');

    const page1 = await list(sender.token, { limit: '2' });
    expect(page1.items).toHaveLength(2);
    const page2 = await list(sender.token, { limit: '2', before: String(page1.nextBefore) });
    expect(page2.items.map((m) => m.id)).toEqual([all.items[2]!.id]);
    expect(page2.nextBefore).toBeNull();

    const target = all.items[1]!.id;
    const first = await post<{ message: Msg; unreadCount: number }>(`/api/messages/${target}/read`, sender.token);
    expect(first).toMatchObject({ message: { id: target, read: true }, unreadCount: 2 });
    t.clock.advance(5);
    const again = await post<{ message: Msg; unreadCount: number }>(`/api/messages/${target}/read`, sender.token);
    expect(again).toEqual(first);

    const stranger = await t.call('POST', `/api/messages/${all.items[0]!.id}/read`, { token: who.staffA, body: {}, headers: headers() });
    expect(stranger.status).toBe(404);
    expect(stranger.body).toMatchObject({ error: { code: 'not_found', message: expect.any(String) } });
    expect((await list(sender.token)).unreadCount).toBe(2);

    expect(await post('/api/messages/read-all', sender.token)).toEqual({ marked: 2, unreadCount: 0 });
    expect(await post('/api/messages/read-all', sender.token)).toEqual({ marked: 0, unreadCount: 0 });
    expect((await t.call<{ unreadMessages: number }>('GET', '/api/me', { token: sender.token })).body.unreadMessages).toBe(0);
  });

  it('a member’s first page is two statements (the page with its count, their birthday); a later page one', async () => {
    const t = ctx();
    const who = await people(t);
    const member = await newMember(t, who.branchA);
    const first = await statementCounter.measure(() => t.call('GET', '/api/messages', { token: member.token }), true);
    expect(first.result.status).toBe(200);
    expect(first.statements, first.log.join('\n')).toBeLessThanOrEqual(2);
    const later = await statementCounter.measure(() => t.call('GET', '/api/messages', { token: member.token, query: { before: '2147483000' } }), true);
    expect(later.statements, later.log.join('\n')).toBe(1);
    const me = await statementCounter.measure(() => t.call('GET', '/api/me', { token: member.token }), true);
    expect(me.statements, me.log.join('\n')).toBeLessThanOrEqual(2);
  });
});
