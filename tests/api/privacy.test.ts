/**
 * The member's own data export (GET /api/me/export): everything the system
 * holds about the caller and nothing about anyone else, ID and phone numbers
 * masked as the app shows them, no key material, and audited.
 */
import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import { and, eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { statementCounter } from '../../db/client.js';
import { auditLog, members } from '../../db/schema/index.js';
import { describeEachDriver } from '../helpers/harness.js';
import { buildWorld } from '../helpers/route-fixtures/index.js';
import { sameCountyOutBody } from '../helpers/transfer-bodies.js';

type Rows = Record<string, unknown>[];
/** The rows of one section of the export (by its key); a missing section fails here, by name. */
function section(data: { sections: { key: string; rows: Rows }[] }, key: string): Rows & { events?: never } {
  const found = data.sections.find((s) => s.key === key);
  expect(found, `section ${key}`).toBeDefined();
  return found!.rows;
}

describeEachDriver(
  'my data export',
  (ctx) => {
    it('a member downloads their profile, study, sign-in, transfer with its timeline and the access log — masked, audited, nobody else’s', async () => {
      const t = ctx();
      const w = await buildWorld(t);
      const me = await w.freshMember();
      const other = await w.freshMember();
      const send = (method: string, path: string, token: string, body?: unknown) =>
        t.call(method, path, { token, body, headers: { 'idempotency-key': `privacy-${randomUUID()}` } });
      expect((await send('POST', '/api/study/checkins', me.token, { way: 'platform', topic: '学习党章', minutes: 20 })).status).toBe(201);
      expect((await send('POST', '/api/study/checkins', other.token, { way: 'platform', topic: '别人的学习', minutes: 15 })).status).toBe(201);
      expect((await send('POST', '/api/birthdays/sign-in', me.token, { oathConfirmed: true })).status).toBe(201);
      const transfer = await send('POST', '/api/transfers', me.token, sameCountyOutBody());
      expect(transfer.status).toBe(201);
      expect((await send('POST', `/api/transfers/${transfer.body.id}/review`, w.tokens.ownSecretary, { decision: 'approve', version: 1 })).status).toBe(200);
      expect((await send('POST', `/api/members/${me.memberId}/reveal-id`, w.tokens.staff)).status).toBe(200);
      // Organizational life and 投诉建议 are the member's data too.
      const meeting = await send('POST', '/api/orglife/meetings', w.tokens.ownSecretary, {
        type: 'party_lecture', topic: '学习党章第一章', place: '村党群服务中心', host: '支部书记', speaker: '支部书记', agenda: '', minutes: '',
        startsAt: '2026-06-12T09:00:00+08:00', endsAt: '2026-06-12T10:30:00+08:00', carriesStudy: true,
        attendance: [{ memberId: me.memberId, status: 'excused', leaveReason: 'migrant_work' }],
      });
      expect(meeting.status, JSON.stringify(meeting.body)).toBe(201);
      expect((await send('POST', '/api/feedback', me.token, { kind: 'suggestion', topic: 'app', text: '字再大一点' })).status).toBe(201);
      expect((await send('POST', '/api/feedback', other.token, { kind: 'complaint', topic: 'work', text: '别人的投诉' })).status).toBe(201);

      const { result: res, statements } = await statementCounter.measure(() => t.call('GET', '/api/me/export', { token: me.token }));
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(statements).toBe(1);
      const data = res.body;
      const [row] = await t.db.select().from(members).where(eq(members.id, me.memberId));
      expect(data.account).toMatchObject({ id: me.accountId, memberId: me.memberId, role: '党员' });
      expect(data.member).toMatchObject({ id: me.memberId, name: row!.name, idMasked: row!.idMasked, status: '在册', category: '正式党员' });
      expect(data.member.phone).toMatch(/^\d{3}\*{4}\d{4}$/);
      const entries = section(data, 'study_entries');
      expect(entries).toHaveLength(1);
      // Coded values read as the app shows them.
      expect(entries[0]).toMatchObject({ minutes: 20, topic: '学习党章', source: '自主填报', way: '平台自主学' });
      expect(section(data, 'study_days')).toEqual([expect.objectContaining({ day: '2026-06-15', minutes: 20 })]);
      expect(section(data, 'birthday_sign_ins')).toHaveLength(1);
      const transfers = section(data, 'transfers');
      expect(transfers).toHaveLength(1);
      expect(transfers[0]).toMatchObject({ id: transfer.body.id, state: '待党委审批', contactPhone: '138****5678' });
      expect((transfers[0]!.events as { action: string }[]).map((e) => e.action)).toEqual(['提交申请', '支部审核通过']);
      expect(section(data, 'orglife_attendance')).toEqual([
        expect.objectContaining({ meetingId: meeting.body.id, status: '请假', leaveReason: '外出务工', meetingType: '党课', meetingTopic: '学习党章第一章' }),
      ]);
      const mine = section(data, 'feedback');
      expect(mine).toEqual([expect.objectContaining({ kind: '建议', body: '字再大一点', state: '待处理' })]);
      expect((mine[0]!.history as { action: string }[]).map((e) => e.action)).toEqual(['提交']);
      expect(data.accessLog.map((e: { action: string }) => e.action)).toContain('member.reveal_id');
      expect(data.notice).toContain('脱敏');

      const text = JSON.stringify(data);
      expect(text).not.toContain('别人的学习');
      expect(text).not.toContain('别人的投诉');
      expect(text).not.toContain(row!.idCipher);
      expect(text).not.toContain(row!.idHash);
      expect(text).not.toContain(row!.phone);
      expect(text).not.toMatch(/idCipher|idHash|id_cipher|id_hash|requestHash/);

      const audits = await t.db.select().from(auditLog).where(and(eq(auditLog.action, 'member.self_export'), eq(auditLog.targetId, String(me.memberId))));
      expect(audits).toHaveLength(1);
      expect(audits[0]).toMatchObject({ actorAccountId: me.accountId, targetType: 'member' });
      // The next export lists the earlier one.
      const again = await t.call('GET', '/api/me/export', { token: me.token });
      expect(again.body.accessLog.map((e: { action: string }) => e.action)).toContain('member.self_export');

      // The file a member reads: a sheet per kind of record, Chinese headings, Beijing time, the same audit.
      const file = await t.call('GET', '/api/me/export', { token: me.token, query: { format: 'xlsx' } });
      expect(file.status).toBe(200);
      expect(file.headers.get('content-disposition')).toContain(encodeURIComponent('我的数据-2026-06-15.xlsx'));
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(Buffer.from(file.bytes) as unknown as ArrayBuffer);
      const names = book.worksheets.map((w) => w.name);
      expect(names).toEqual(expect.arrayContaining(['说明', '账号', '党员档案', '学习记录', '组织关系转接', '组织生活出席', '投诉建议', '档案查阅记录']));
      for (const sheet of book.worksheets) {
        const headers = (sheet.getRow(1).values as unknown[]).filter((v): v is string => typeof v === 'string');
        expect(headers.filter((h) => /^[a-z][A-Za-z]*$/.test(h)), `${sheet.name}: headings left as field names`).toEqual([]);
      }
      const study = book.getWorksheet('学习记录')!;
      const header = study.getRow(1).values as unknown[];
      const created = study.getRow(2).getCell(header.indexOf('建立时间')).value;
      expect(created).toBe('2026-06-15 10:00');
      expect(study.getRow(2).getCell(header.indexOf('来源')).value).toBe('自主填报');
      const fileText = JSON.stringify(book.worksheets.map((w) => w.getSheetValues()));
      expect(fileText).not.toContain('别人的学习');
      expect(fileText).not.toContain(row!.phone);
      expect(await t.db.select().from(auditLog).where(and(eq(auditLog.action, 'member.self_export'), eq(auditLog.targetId, String(me.memberId))))).toHaveLength(3);
    });

    it('an applicant (not yet a member) is refused; staff without a member file get their account only', async () => {
      const t = ctx();
      const applicant = await t.login('applicant');
      const refused = await t.call('GET', '/api/me/export', { token: applicant });
      expect(refused.status).toBe(403);
      expect((await t.call('GET', '/api/me/export')).status).toBe(401);
      const staff = await t.login('staff');
      const res = await t.call('GET', '/api/me/export', { token: staff });
      expect(res.status).toBe(200);
      expect(res.body.account).toMatchObject({ role: '党委工作人员' });
    });
  },
  { env: { WRITE_RATE_LIMIT: '1000000' } },
);
