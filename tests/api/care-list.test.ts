/**
 * The care list is derived from what the branch already records (组织生活 attendance, collective study), never
 * typed in again: a member excused from a meeting for 外出务工 appears as working away (流动党员) with help to offer,
 * not as absent; a member who came to a branch meeting is not "absent" though they missed collective study.
 */
import { randomUUID } from 'node:crypto';
import { and, asc, eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { sealIdNumber } from '../../db/pii.js';
import { accounts, members } from '../../db/schema/index.js';
import { makeIdNumber, makePhone } from '../../db/seed/identity.js';
import { describeEachDriver } from '../helpers/harness.js';
import { branchesOf } from '../helpers/townships.js';

describeEachDriver('care list from organizational life', (ctx) => {
  it('外出务工 leave puts a member on the list as working away; attending a meeting keeps another off it', async () => {
    const t = ctx();
    const [branchId] = await branchesOf(t.db, 'A');
    const [sec] = await t.db.select().from(accounts).where(and(eq(accounts.role, 'secretary'), eq(accounts.organizationId, branchId!)));
    const secretary = await t.login('secretary', sec!.id);
    const roster = await t.db.select({ id: members.id }).from(members)
      .where(and(eq(members.organizationId, branchId!), eq(members.status, 'active'))).orderBy(asc(members.id));
    const [away, present] = [roster[0]!.id, roster[1]!.id];
    const meeting = await t.call('POST', '/api/orglife/meetings', {
      token: secretary,
      headers: { 'idempotency-key': `care-${randomUUID()}` },
      body: {
        organizationId: branchId, type: 'general_assembly', topic: '支部党员大会', place: '村党群服务中心', host: '支部书记', agenda: '', minutes: '',
        startsAt: '2026-06-05T09:00:00+08:00', endsAt: '2026-06-05T10:30:00+08:00', carriesStudy: false,
        attendance: [
          { memberId: away, status: 'excused', leaveReason: 'migrant_work' },
          { memberId: present, status: 'present' },
        ],
      },
    });
    expect(meeting.status, JSON.stringify(meeting.body)).toBe(201);

    const week = await t.call('GET', `/api/study/organizations/${branchId}/week`, { token: secretary });
    expect(week.status).toBe(200);
    const care = week.body.care as { memberId: number; reasons: string[] }[];
    const awayRow = care.find((c) => c.memberId === away);
    expect(awayRow?.reasons).toContain('working_away');
    expect(awayRow?.reasons).not.toContain('long_absence');
    const presentRow = care.find((c) => c.memberId === present);
    expect(presentRow?.reasons ?? []).not.toContain('long_absence');
    expect(presentRow?.reasons ?? []).not.toContain('working_away');
    // Someone who neither came nor was excused for work, while the branch met, is shown as absent.
    const birthDate = t.driver === 'neon' ? '1980-05-02' : '1980-05-01';
    const [newcomer] = await t.db.insert(members).values({
      name: '关怀测试未到会', gender: 'male', ethnicity: '汉族', birthDate,
      ...sealIdNumber(makeIdNumber(birthDate, 'male', 71, '150102'), { encryptionKey: t.config.idEncryptionKey, hashKey: t.config.idHashKey }),
      phone: makePhone(8871), organizationId: branchId!, category: 'full', joinedAt: '2005-06-10', confirmedAt: '2006-06-10',
    }).returning({ id: members.id });
    const again = await t.call('GET', `/api/study/organizations/${branchId}/week`, { token: secretary });
    const newcomerRow = (again.body.care as { memberId: number; reasons: string[] }[]).find((c) => c.memberId === newcomer!.id);
    expect(newcomerRow?.reasons).toEqual(['long_absence']);
  });
});
