/**
 * Organizational life over HTTP on both drivers: a meeting recorded with its
 * attendance, 学时 credited once, 请假 counted as excused, the calendar turning
 * done, scoping (a secretary their branch, staff their township, a member their
 * own 学时), and 民主评议's 优秀 ≤ 1/3 under concurrent edits on PostgreSQL.
 */
import { and, asc, eq } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { accounts, members, organizations, orglifeGrades, orglifeStudyCredits } from '../../db/schema/index.js';
import type { Meeting } from '../../shared/orglife.js';
import { describeEachDriver } from '../helpers/harness.js';
import { branchesOf, secretaryToken } from '../helpers/townships.js';
import { buildWorld } from '../helpers/route-fixtures/index.js';

let seq = 0;
const key = () => `orglife-${Date.now()}-${++seq}`;

interface Calendar {
  items: Array<{ kind: string; periodKey: string; status: string }>;
  current: Array<{ kind: string; periodKey: string; status: string }>;
  untalked: Array<{ memberId: number; name: string }>;
}

describeEachDriver('组织生活 (organizational life)', (ctx, driver) => {
  const c = () => ctx();
  const s = {
    staff: '',
    secA: '',
    secB: '',
    branchA: 0,
    branchB: 0,
    memberA: { memberId: 0, token: '' },
    memberB: { memberId: 0, token: '' },
    rosterA: [] as number[],
  };
  const meetingBody = (extra: Record<string, unknown> = {}) => ({
    type: 'branch_committee',
    topic: '研究六月份支部工作',
    place: '村党群服务中心',
    host: '李守仁',
    agenda: '一、传达上级精神；二、研究发展党员',
    minutes: '会议研究了本月工作。',
    startsAt: '2026-06-12T09:00:00+08:00',
    endsAt: '2026-06-12T10:30:00+08:00',
    carriesStudy: false,
    attendance: [],
    ...extra,
  });
  const create = (token: string, body: Record<string, unknown>, idempotencyKey = key()) =>
    c().call<Meeting>('POST', '/api/orglife/meetings', { token, body, headers: { 'idempotency-key': idempotencyKey } });
  const myLife = async (token: string) =>
    (await c().call<{ studyHours: number; meetingStudyMinutes: number; meetings: Meeting[]; grades: unknown[] }>('GET', '/api/orglife/me', { token })).body;

  // Setup, not a test: a secretary and a member of two of township A's branches, and staff.
  beforeAll(async () => {
    const branches = await branchesOf(c().db, 'A');
    s.branchA = branches[0]!;
    s.branchB = branches[1]!;
    s.secA = await secretaryToken(c(), s.branchA);
    s.secB = await secretaryToken(c(), s.branchB);
    s.staff = await c().login('staff');
    const memberOf = async (branchId: number) => {
      const [row] = await c()
        .db.select({ memberId: members.id, accountId: accounts.id })
        .from(members)
        .innerJoin(accounts, eq(accounts.memberId, members.id))
        .where(and(eq(members.organizationId, branchId), eq(accounts.role, 'member'), eq(members.status, 'active')))
        .orderBy(asc(members.id))
        .limit(1);
      return { memberId: row!.memberId, token: await c().login('member', row!.accountId) };
    };
    s.memberA = await memberOf(s.branchA);
    s.memberB = await memberOf(s.branchB);
    const expected = await c().call<{ members: Array<{ memberId: number }> }>('GET', `/api/orglife/organizations/${s.branchA}/expected`, { token: s.secA, query: { date: '2026-06-12' } });
    expect(expected.status).toBe(200);
    s.rosterA = expected.body.members.map((m) => m.memberId);
    expect(s.rosterA).toContain(s.memberA.memberId);
  });

  it('a 支委会 recorded with attendance: 应到 from the roster, 请假 counted as excused, and this month\'s item turns done', async () => {
    const before = (await c().call<Calendar>('GET', '/api/orglife/calendar', { token: s.secA })).body;
    expect(before.current.find((i) => i.kind === 'branch_committee' && i.periodKey === '2026-06')?.status).toBe('due');
    const excused = s.rosterA.find((id) => id !== s.memberA.memberId)!;
    const res = await create(
      s.secA,
      meetingBody({
        attendance: [
          { memberId: s.memberA.memberId, status: 'present' },
          { memberId: excused, status: 'excused', leaveReason: 'migrant_work', leaveNote: '在外地务工' },
        ],
      }),
    );
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ type: 'branch_committee', day: '2026-06-12', expectedCount: s.rosterA.length, presentCount: 1, excusedCount: 1, absentCount: s.rosterA.length - 2, studyMinutes: 0 });
    expect(res.body.attendees?.find((a) => a.memberId === excused)).toMatchObject({ status: 'excused', leaveReason: 'migrant_work', leaveNote: '在外地务工' });
    const after = (await c().call<Calendar>('GET', '/api/orglife/calendar', { token: s.secA })).body;
    expect(after.current.find((i) => i.kind === 'branch_committee' && i.periodKey === '2026-06')?.status).toBe('done');

    // The excused member sees it as excused, with the counts but not the others' marks.
    const [acct] = await c().db.select().from(accounts).where(eq(accounts.memberId, excused));
    const excusedToken = await c().login(acct!.role === 'secretary' ? 'secretary' : 'member', acct!.id);
    const mine = await myLife(excusedToken);
    expect(mine.meetings.find((m) => m.id === res.body.id)).toMatchObject({ myStatus: 'excused', excusedCount: 1, attendees: null });
  });

  it('refuses 请假 without a reason, people not expected that day, and a meeting not yet begun', async () => {
    const noReason = await create(s.secA, meetingBody({ attendance: [{ memberId: s.memberA.memberId, status: 'excused' }] }));
    expect(noReason.status).toBe(400);
    const stranger = await create(s.secA, meetingBody({ attendance: [{ memberId: s.memberB.memberId, status: 'present' }] }));
    expect(stranger.status).toBe(422);
    const future = await create(s.secA, meetingBody({ startsAt: '2026-06-20T09:00:00+08:00', endsAt: '2026-06-20T10:00:00+08:00' }));
    expect(future.status).toBe(400);
    const lecture = await create(s.secA, meetingBody({ type: 'party_lecture' }));
    expect(lecture.status).toBe(400);
    expect((lecture.body as unknown as { error: { message: string } }).error.message).toContain('讲课人');
  });

  it('a 党课 credits each attendee its 学时 once: a replay, a repeated tick and a correction never double it', async () => {
    const before = await myLife(s.memberA.token);
    const k = key();
    const body = meetingBody({
      type: 'party_lecture',
      speaker: '李守仁',
      topic: '学党史 悟思想',
      startsAt: '2026-06-13T09:00:00+08:00',
      endsAt: '2026-06-13T12:00:00+08:00',
      carriesStudy: true,
      attendance: [{ memberId: s.memberA.memberId, status: 'present' }],
    });
    const first = await create(s.secA, body, k);
    expect(first.status).toBe(201);
    expect(first.body.studyMinutes).toBe(180);
    const replay = await create(s.secA, body, k);
    expect(replay.body.id).toBe(first.body.id);
    const tick = (status: string, idempotencyKey = key()) =>
      c().call<Meeting>('PUT', `/api/orglife/meetings/${first.body.id}/attendance`, {
        token: s.secA,
        body: { attendance: [{ memberId: s.memberA.memberId, status }] },
        headers: { 'idempotency-key': idempotencyKey },
      });
    expect((await tick('present')).status).toBe(200);
    const credits = () =>
      c().db.select().from(orglifeStudyCredits).where(and(eq(orglifeStudyCredits.meetingId, first.body.id), eq(orglifeStudyCredits.memberId, s.memberA.memberId)));
    expect((await credits()).map((r) => r.minutes)).toEqual([180]);
    expect((await myLife(s.memberA.token)).studyHours).toBeCloseTo(before.studyHours + 3, 5);
    // Marked absent after all: the credit is taken back; ticked again: credited once more, not twice.
    expect((await tick('absent')).body.presentCount).toBe(0);
    expect((await credits()).map((r) => r.minutes)).toEqual([0]);
    await tick('present');
    expect((await credits()).map((r) => r.minutes)).toEqual([180]);
    expect((await myLife(s.memberA.token)).studyHours).toBeCloseTo(before.studyHours + 3, 5);
  });

  it('scoping: a secretary only their branch, staff their township, members their branch\'s meetings and their own 学时', async () => {
    const [meeting] = (await c().call<{ meetings: Meeting[] }>('GET', '/api/orglife/meetings', { token: s.secA })).body.meetings;
    expect(meeting!.organizationId).toBe(s.branchA);
    const path = `/api/orglife/meetings/${meeting!.id}`;
    expect((await c().call('GET', path, { token: s.secB })).status).toBe(404);
    expect((await c().call('GET', path, { token: s.memberB.token })).status).toBe(404);
    const asMember = await c().call<Meeting>('GET', path, { token: s.memberA.token });
    expect(asMember.status).toBe(200);
    expect(asMember.body.attendees).toBeNull();
    const asStaff = await c().call<Meeting>('GET', path, { token: s.staff });
    expect(asStaff.body.attendees?.length).toBe(asStaff.body.expectedCount);
    expect((await c().call('PUT', `${path}/attendance`, { token: s.secB, body: { attendance: [{ memberId: s.memberA.memberId, status: 'present' }] }, headers: { 'idempotency-key': key() } })).status).toBe(404);
    expect((await create(s.secB, meetingBody({ organizationId: s.branchA }))).status).toBe(403);
    expect((await c().call('GET', '/api/orglife/calendar', { token: s.secB, query: { organizationId: s.branchA } })).status).toBe(403);
    expect((await c().call('GET', `/api/orglife/organizations/${s.branchA}/expected`, { token: s.secB, query: { date: '2026-06-12' } })).status).toBe(403);
    expect((await c().call('GET', '/api/orglife/calendar', { token: s.staff, query: { organizationId: s.branchA } })).status).toBe(200);
    expect((await c().call('GET', '/api/orglife/township', { token: s.secA })).status).toBe(403);
    // A member's list holds their own branch only.
    const listB = (await c().call<{ meetings: Meeting[] }>('GET', '/api/orglife/meetings', { token: s.memberB.token })).body.meetings;
    expect(listB.length).toBeGreaterThan(0);
    expect(listB.every((m) => m.organizationId === s.branchB)).toBe(true);
    // 我的组织生活 is the caller's own: member B's 学时 are not moved by the 党课 member A attended.
    const b = await myLife(s.memberB.token);
    expect(b.meetings.every((m) => m.organizationId === s.branchB)).toBe(true);
  });

  it('the township sees every branch in fixed order with its outstanding items (the seed left some overdue)', async () => {
    const res = await c().call<{ branches: Array<{ organizationId: number; name: string; overdue: Array<{ kind: string; periodKey: string }> }> }>('GET', '/api/orglife/township', { token: s.staff });
    expect(res.status).toBe(200);
    // Township A's branches (the staff's own), in their fixed order; township B's are not in it.
    expect(res.body.branches.map((b) => b.organizationId)).toEqual(await branchesOf(c().db, 'A'));
    const hexi = res.body.branches.find((b) => b.name === '河西村党支部');
    expect(hexi?.overdue.map((i) => `${i.kind} ${i.periodKey}`)).toEqual(expect.arrayContaining(['branch_committee 2026-05', 'group_meeting 2026-05']));
    const xinhua = res.body.branches.find((b) => b.name === '新华村党支部');
    expect(xinhua?.overdue.map((i) => `${i.kind} ${i.periodKey}`)).toContain('party_lecture 2026-Q1');
    const exported = await c().call('GET', '/api/orglife/export', { token: s.staff });
    expect(exported.status).toBe(200);
    expect(exported.headers.get('content-type')).toContain('spreadsheetml');
  });

  it('民主评议: 不合格 needs its follow-up, 优秀 stops at one third, and the member sees their grade', async () => {
    const open = await c().call<{ id: number; assessedCount: number; excellentLimit: number; members: Array<{ memberId: number }> }>('POST', '/api/orglife/appraisals', {
      token: s.secA,
      body: { year: 2026 },
      headers: { 'idempotency-key': key() },
    });
    expect(open.status).toBe(201);
    const { id, assessedCount, excellentLimit } = open.body;
    expect(excellentLimit).toBe(Math.floor(assessedCount / 3));
    const grade = (memberId: number, body: Record<string, unknown>) =>
      c().call<{ excellentCount: number }>('PUT', `/api/orglife/appraisals/${id}/grades/${memberId}`, { token: s.secA, body, headers: { 'idempotency-key': key() } });
    expect((await grade(s.memberA.memberId, { grade: 'unqualified' })).status).toBe(400);
    expect((await grade(s.memberA.memberId, { grade: 'unqualified', followUp: '限期三个月改正' })).status).toBe(200);
    const ids = open.body.members.map((m) => m.memberId).filter((m) => m !== s.memberA.memberId);
    const answers = [];
    for (const memberId of ids.slice(0, excellentLimit + 1)) answers.push((await grade(memberId, { grade: 'excellent' })).status);
    expect(answers).toEqual([...Array(excellentLimit).fill(200), 409]);
    expect((await grade(s.memberB.memberId, { grade: 'qualified' })).status).toBe(404);
    expect((await c().call('GET', `/api/orglife/appraisals/${id}`, { token: s.secB })).status).toBe(404);
    const mine = await myLife(s.memberA.token);
    expect(mine.grades).toContainEqual({ year: 2026, grade: 'unqualified', followUp: '限期三个月改正' });
  });

  it('谈心谈话: a recorded talk takes the member off the calendar\'s 未谈话 list', async () => {
    const before = (await c().call<Calendar>('GET', '/api/orglife/calendar', { token: s.secA })).body.untalked;
    const target = before[0];
    expect(target).toBeDefined();
    const res = await c().call('POST', '/api/orglife/talks', { token: s.secA, body: { withMemberId: target!.memberId, day: '2026-06-14', topic: '思想和生活情况' }, headers: { 'idempotency-key': key() } });
    expect(res.status).toBe(201);
    const after = (await c().call<Calendar>('GET', '/api/orglife/calendar', { token: s.secA })).body.untalked;
    expect(after.map((m) => m.memberId)).not.toContain(target!.memberId);
    expect((await c().call('POST', '/api/orglife/talks', { token: s.secB, body: { withMemberId: target!.memberId, day: '2026-06-14', topic: '谈话' }, headers: { 'idempotency-key': key() } })).status).toBe(404);
  });

  it.runIf(driver === 'neon')('优秀 stays within one third under 10 concurrent grade edits (PostgreSQL)', async () => {
    const w = await buildWorld(c());
    const branchC = (await c().db.select().from(organizations).where(eq(organizations.kind, 'branch')).orderBy(asc(organizations.sortOrder)))[2]!.id;
    for (let i = 0; i < 6; i++) await w.freshMember(branchC);
    const open = await c().call<{ id: number; assessedCount: number; members: Array<{ memberId: number }> }>('POST', '/api/orglife/appraisals', {
      token: s.staff,
      body: { year: 2026, organizationId: branchC },
      headers: { 'idempotency-key': key() },
    });
    expect(open.status).toBe(201);
    const { id, assessedCount } = open.body;
    expect(assessedCount).toBeGreaterThanOrEqual(10);
    const targets = open.body.members.slice(0, 10).map((m) => m.memberId);
    const answers = await Promise.all(
      targets.map((memberId) =>
        c().call('PUT', `/api/orglife/appraisals/${id}/grades/${memberId}`, { token: s.staff, body: { grade: 'excellent' }, headers: { 'idempotency-key': key() } }),
      ),
    );
    const limit = Math.floor(assessedCount / 3);
    expect(answers.filter((a) => a.status === 200).length).toBe(limit);
    expect(answers.filter((a) => a.status === 409).length).toBe(10 - limit);
    const stored = await c().db.select().from(orglifeGrades).where(and(eq(orglifeGrades.appraisalId, id), eq(orglifeGrades.grade, 'excellent')));
    expect(stored.length).toBe(limit);
    const refused = answers.find((a) => a.status === 409);
    expect(refused?.body).toMatchObject({ error: { code: 'conflict', message: expect.stringContaining('三分之一') } });
  });
});
