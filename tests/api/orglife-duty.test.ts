/**
 * 党课责任表 over HTTP on both drivers (issue 20.4, 20.7): township staff assign a leader
 * villages (包村) in their township only; a 党课 names its speaker as a roster entry; the
 * quota counts only the leader's own 党课 at their villages in the year; 双重组织生活 is their
 * attendance at their own branch's meetings; the township export carries the duty sheet.
 */
import { eq } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { beforeAll, expect, it } from 'vitest';
import { orglifeLectureAssignments } from '../../db/schema/index.js';
import type { LectureDutyResponse, Meeting } from '../../shared/orglife.js';
import { describeEachDriver } from '../helpers/harness.js';
import { buildWorld, type Person } from '../helpers/route-fixtures/index.js';
import { accountIn, branchesOf, townshipId } from '../helpers/townships.js';

let seq = 0;
const key = () => ({ 'idempotency-key': `duty-${Date.now()}-${++seq}` });

describeEachDriver('党课责任表 (lecture duty)', (ctx) => {
  const c = () => ctx();
  const s = { staff: '', staffB: '', secA: '', secB: '', secOffice: '', branchA: 0, branchB: 0, office: 0, branchOfB: 0 };
  let leader: Person;
  let other: Person;
  let memberOfB: Person;

  const duty = async (token = s.staff, year?: number) =>
    c().call<LectureDutyResponse>('GET', '/api/orglife/lecture-duty', { token, ...(year ? { query: { year: String(year) } } : {}) });
  const assign = (memberId: number, branchIds: number[], token = s.staff) =>
    c().call<LectureDutyResponse>('PUT', `/api/orglife/lecture-duty/${memberId}`, { token, body: { branchIds }, headers: key() });
  const meeting = (token: string, extra: Record<string, unknown>) =>
    c().call<Meeting>('POST', '/api/orglife/meetings', {
      token,
      headers: key(),
      body: {
        type: 'party_lecture',
        topic: '以党建引领乡村振兴',
        place: '村党群服务中心',
        host: '支部书记',
        startsAt: '2026-06-13T09:00:00+08:00',
        endsAt: '2026-06-13T11:00:00+08:00',
        carriesStudy: true,
        attendance: [],
        ...extra,
      },
    });
  const rowOf = async (memberId: number, year?: number) => (await duty(s.staff, year)).body.leaders.find((l) => l.memberId === memberId);

  // Setup, not a test: a fresh leader in the 机关 branch (no seeded duty), township A's and B's officers.
  beforeAll(async () => {
    const w = await buildWorld(c());
    const branches = await branchesOf(c().db, 'A');
    [s.branchA, s.branchB] = [branches[0]!, branches[1]!];
    s.office = branches[branches.length - 1]!;
    s.branchOfB = (await branchesOf(c().db, 'B'))[0]!;
    s.staff = await c().login('staff', await accountIn(c().db, 'staff', await townshipId(c().db, 'A')));
    s.staffB = await c().login('staff', await accountIn(c().db, 'staff', await townshipId(c().db, 'B')));
    s.secA = await c().login('secretary', await accountIn(c().db, 'secretary', s.branchA));
    s.secB = await c().login('secretary', await accountIn(c().db, 'secretary', s.branchB));
    s.secOffice = await c().login('secretary', await accountIn(c().db, 'secretary', s.office));
    leader = await w.freshMember(s.office);
    other = await w.freshMember(s.branchA);
    memberOfB = await w.freshMember(s.branchOfB);
  });

  it('staff assign a leader villages of their township; the table starts at 0 of the default quota', async () => {
    const res = await assign(leader.memberId, [s.branchA, s.branchB]);
    expect(res.status).toBe(200);
    const row = res.body.leaders.find((l) => l.memberId === leader.memberId);
    expect(row).toMatchObject({ delivered: 0, elsewhere: 0, quota: 2, met: false, ownBranch: { organizationId: s.office } });
    expect(row?.villages.map((v) => v.organizationId)).toEqual([s.branchA, s.branchB]);
    expect(res.body.branches.map((b) => b.organizationId)).toEqual(await branchesOf(c().db, 'A'));
    // Replaced, not added to: the second PUT leaves one village.
    const again = await assign(leader.memberId, [s.branchA]);
    expect(again.body.leaders.find((l) => l.memberId === leader.memberId)?.villages.map((v) => v.organizationId)).toEqual([s.branchA]);
  });

  it('scoping: township B is refused A\'s people and villages and does not see A\'s table; a secretary cannot assign', async () => {
    expect((await assign(leader.memberId, [s.branchOfB], s.staffB)).status).toBe(404);
    expect((await assign(memberOfB.memberId, [s.branchA], s.staffB)).status).toBe(422);
    expect((await assign(leader.memberId, [s.branchOfB])).status).toBe(422);
    const seenByB = await duty(s.staffB);
    expect(seenByB.status).toBe(200);
    expect(seenByB.body.leaders.some((l) => l.memberId === leader.memberId)).toBe(false);
    expect(seenByB.body.branches.some((b) => b.organizationId === s.branchA)).toBe(false);
    expect((await assign(leader.memberId, [s.branchA], s.secA)).status).toBe(403);
    expect((await duty(s.secA)).status).toBe(403);
  });

  it('a secretary names the assigned leader as speaker; only that branch may, and the table shows 1 of the quota', async () => {
    const speakersA = await c().call<{ leaders: Array<{ memberId: number }> }>('GET', `/api/orglife/organizations/${s.branchA}/speakers`, { token: s.secA });
    expect(speakersA.body.leaders.map((l) => l.memberId)).toContain(leader.memberId);
    const speakersB = await c().call<{ leaders: Array<{ memberId: number }> }>('GET', `/api/orglife/organizations/${s.branchB}/speakers`, { token: s.secB });
    expect(speakersB.body.leaders.map((l) => l.memberId)).not.toContain(leader.memberId);
    expect((await c().call('GET', `/api/orglife/organizations/${s.branchA}/speakers`, { token: s.secB })).status).toBe(403);

    const lecture = await meeting(s.secA, { speakerMemberId: leader.memberId });
    expect(lecture.status).toBe(201);
    expect(lecture.body.speakerMemberId).toBe(leader.memberId);
    expect(lecture.body.speaker).toBe((await rowOf(leader.memberId))?.name);
    // Not assigned to branch B and not on its roster: branch B cannot credit them.
    const elsewhere = await meeting(s.secB, { speakerMemberId: leader.memberId });
    expect(elsewhere.status).toBe(422);
    expect(await rowOf(leader.memberId)).toMatchObject({ delivered: 1, quota: 2, met: false });
  });

  it('the quota counts only the leader\'s own 党课 in the year', async () => {
    const before = (await rowOf(leader.memberId))!.delivered;
    // Another speaker's 党课, a 支委会 naming the leader, and a 党课 of last year: none counts for 2026.
    expect((await meeting(s.secA, { speakerMemberId: other.memberId })).status).toBe(201);
    expect((await meeting(s.secA, { type: 'branch_committee', carriesStudy: false, speakerMemberId: leader.memberId })).status).toBe(201);
    expect((await meeting(s.secA, { speakerMemberId: leader.memberId, startsAt: '2025-07-01T09:00:00+08:00', endsAt: '2025-07-01T11:00:00+08:00' })).status).toBe(201);
    expect((await rowOf(leader.memberId))!.delivered).toBe(before);
    expect((await rowOf(leader.memberId, 2025))!.delivered).toBe(1);
    // The township's own quota: at 1 a year the leader has met it.
    const set = await c().call('PUT', '/api/settings', { token: s.staff, body: { lectureQuotaPerYear: 1 }, headers: key() });
    expect(set.status).toBe(200);
    expect(await rowOf(leader.memberId)).toMatchObject({ delivered: before, quota: 1, met: true });
  });

  it('双重组织生活: the leader\'s attendance at their own branch\'s meetings this year', async () => {
    const office = (present: boolean, day: string) =>
      meeting(s.secOffice, {
        type: 'branch_committee',
        carriesStudy: false,
        startsAt: `${day}T09:00:00+08:00`,
        endsAt: `${day}T10:00:00+08:00`,
        attendance: present ? [{ memberId: leader.memberId, status: 'present' }] : [],
      });
    expect((await office(true, '2026-06-10')).status).toBe(201);
    expect((await office(false, '2026-06-11')).status).toBe(201);
    expect((await rowOf(leader.memberId))!.ownBranchMeetings).toEqual({ expected: 2, attended: 1 });
  });

  it('the township export carries the 党课责任表; a secretary\'s branch file does not', async () => {
    const res = await c().call('GET', '/api/orglife/export', { token: s.staff });
    expect(res.status).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(res.bytes) as unknown as ArrayBuffer);
    const sheet = book.getWorksheet('2026年党课责任表');
    expect(sheet).toBeDefined();
    const row = (await rowOf(leader.memberId))!;
    const values = [];
    for (let r = 2; r <= sheet!.rowCount; r++) values.push((sheet!.getRow(r).values as unknown[]).slice(1));
    expect(values).toContainEqual([row.name, row.ownBranch.name, row.villages.map((v) => v.name).join('、'), row.delivered, row.quota, '已完成', 0, 1, 2]);
    const branchFile = await c().call('GET', '/api/orglife/export', { token: s.secA });
    const branchBook = new ExcelJS.Workbook();
    await branchBook.xlsx.load(Buffer.from(branchFile.bytes) as unknown as ArrayBuffer);
    expect(branchBook.getWorksheet('2026年党课责任表')).toBeUndefined();
  });

  it('the dashboard\'s figures per branch are derived from the records: a recorded meeting counts at once', async () => {
    type Figures = { branches: Array<{ organizationId: number; meetingsHeld: number; quarter: { due: number; done: number; overdue: number }; study: { members: number; met: number } }> };
    const township = async (token = s.staff) => (await c().call<Figures>('GET', '/api/orglife/township', { token })).body.branches;
    const before = (await township()).find((b) => b.organizationId === s.branchB)!;
    expect(before.quarter.done).toBeLessThanOrEqual(before.quarter.due);
    expect(before.study.met).toBeLessThanOrEqual(before.study.members);
    expect((await meeting(s.secB, { type: 'group_meeting', carriesStudy: false, startsAt: '2026-06-14T19:30:00+08:00', endsAt: '2026-06-14T20:30:00+08:00' })).status).toBe(201);
    const after = (await township()).find((b) => b.organizationId === s.branchB)!;
    expect(after.meetingsHeld).toBe(before.meetingsHeld + 1);
    expect(after.quarter.due).toBe(before.quarter.due);
    expect(after.quarter.done).toBeGreaterThanOrEqual(before.quarter.done);
    // Township B's staff see their own branches' figures, none of township A's.
    expect((await township(s.staffB)).some((b) => b.organizationId === s.branchB)).toBe(false);
  });

  it('an empty list takes the leader off the table; the assignment is ended, not deleted, and given back it holds again', async () => {
    expect((await assign(leader.memberId, [])).status).toBe(200);
    expect(await rowOf(leader.memberId)).toBeUndefined();
    const kept = await ctx().db.select().from(orglifeLectureAssignments).where(eq(orglifeLectureAssignments.memberId, leader.memberId));
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.every((r) => r.endedAt !== null)).toBe(true);
    const [first] = kept;
    expect((await assign(leader.memberId, [first!.branchId])).status).toBe(200);
    expect(await rowOf(leader.memberId)).toBeDefined();
  });
});
