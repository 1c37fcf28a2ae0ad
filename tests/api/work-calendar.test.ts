/**
 * Issue 21's county side: the holiday list county staff keep a year at a time (2026 seeded by migration 0022,
 * 2027 absent until entered here), and the county's yearly 发展 target with every township's progress in the
 * townships' fixed order. Township staff, secretaries and members read the list and write none of it.
 */
import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { auditLog } from '../../db/schema/index.js';
import type { CountyDevelopmentResponse, WorkCalendarResponse } from '../../shared/development.js';
import { describeEachDriver } from '../helpers/harness.js';
import { accountIn, townshipId } from '../helpers/townships.js';

const headers = () => ({ 'idempotency-key': `calendar-${randomUUID()}` });
const DAYS_2027 = [
  { day: '2027-01-01', kind: 'holiday', note: '元旦' },
  { day: '2027-01-02', kind: 'holiday', note: '元旦' },
  { day: '2027-01-03', kind: 'holiday', note: '元旦' },
  { day: '2027-01-09', kind: 'workday', note: '元旦调休' },
];

describeEachDriver('the county keeps the holiday list and the county-wide 发展 target', (ctx) => {
  it('2026 is seeded, 2027 has no list until county staff enter it; the list replaces the whole year', async () => {
    const c = ctx();
    const county = await c.login('county');
    const staff = await c.login('staff');
    const y2026 = (await c.call<WorkCalendarResponse>('GET', '/api/work-calendar', { token: staff })).body;
    expect(y2026.year).toBe(2026);
    expect(y2026.days.find((d) => d.day === '2026-10-01')).toMatchObject({ kind: 'holiday', note: '国庆节' });
    expect(y2026.listedYears).toEqual([2026]);
    const empty = (await c.call<WorkCalendarResponse>('GET', '/api/work-calendar', { token: staff, query: { year: '2027' } })).body;
    expect(empty).toEqual({ year: 2027, days: [], listedYears: [2026] });

    const put = await c.call<WorkCalendarResponse>('PUT', '/api/work-calendar/2027', { token: county, body: { days: DAYS_2027 }, headers: headers() });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect(put.body.days.map((d) => d.day)).toEqual(DAYS_2027.map((d) => d.day));
    expect(put.body.listedYears).toEqual([2026, 2027]);
    const fewer = await c.call<WorkCalendarResponse>('PUT', '/api/work-calendar/2027', { token: county, body: { days: DAYS_2027.slice(0, 1) }, headers: headers() });
    expect(fewer.body.days).toHaveLength(1);
    // 2026 is untouched by 2027's edits.
    expect((await c.call<WorkCalendarResponse>('GET', '/api/work-calendar', { token: county, query: { year: '2026' } })).body.days).toEqual(y2026.days);
    const audits = await c.db.select().from(auditLog).where(and(eq(auditLog.action, 'work_calendar.set'), eq(auditLog.targetId, '2027')));
    expect(audits.map((a) => a.details)).toEqual([expect.objectContaining({ before: 0, after: 4 }), expect.objectContaining({ before: 4, after: 1 })]);
  });

  it('the list is checked: days inside the year, once each, 调休上班 only on a weekend', async () => {
    const county = await ctx().login('county');
    for (const days of [
      [{ day: '2026-12-31', kind: 'holiday', note: '跨年' }],
      [DAYS_2027[0], DAYS_2027[0]],
      [{ day: '2027-01-04', kind: 'workday', note: '周一' }],
      [{ day: '2027-01-05', kind: 'rest', note: '' }],
    ]) {
      const res = await ctx().call<{ error: { code: string; message: string } }>('PUT', '/api/work-calendar/2027', { token: county, body: { days }, headers: headers() });
      expect(res.status, JSON.stringify(days)).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
    }
  });

  it('only county staff write the list; a retry with the same key replays', async () => {
    const c = ctx();
    for (const token of [await c.login('staff'), await c.login('secretary'), await c.login('member')]) {
      expect((await c.call('PUT', '/api/work-calendar/2027', { token, body: { days: DAYS_2027 }, headers: headers() })).status).toBe(403);
    }
    expect((await c.call('GET', '/api/work-calendar', { token: await c.login('member') })).status).toBe(403);
    const county = await c.login('county');
    const h = headers();
    const first = await c.call('PUT', '/api/work-calendar/2027', { token: county, body: { days: DAYS_2027 }, headers: h });
    const again = await c.call('PUT', '/api/work-calendar/2027', { token: county, body: { days: DAYS_2027 }, headers: h });
    expect(again.body).toEqual(first.body);
    expect((await c.call('PUT', '/api/work-calendar/2028', { token: county, body: { days: [] }, headers: h })).status).toBe(422);
  });

  it("the county's target and each township's progress, in the townships' fixed order; only county staff set it", async () => {
    const c = ctx();
    const county = await c.login('county');
    const staffA = await c.login('staff');
    const staffB = await c.login('staff', await accountIn(c.db, 'staff', await townshipId(c.db, 'B')));
    await c.call('PUT', '/api/development/targets/2026', { token: staffA, body: { target: 4 }, headers: headers() });
    const set = await c.call<CountyDevelopmentResponse>('PUT', '/api/county/development/targets/2026', { token: county, body: { target: 30 }, headers: headers() });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    expect(set.body.county).toMatchObject({ year: 2026, target: 30 });
    expect(set.body.townships.map((t) => t.organizationId)).toEqual([await townshipId(c.db, 'A'), await townshipId(c.db, 'B')]);
    expect(set.body.townships[0]).toMatchObject({ target: 4 });
    expect(set.body.townships[1]).toMatchObject({ target: null });
    type Queue = { progress: { admitted: number; target: number | null } };
    const a = (await c.call<Queue>('GET', '/api/development/queue', { token: staffA })).body.progress;
    const b = (await c.call<Queue>('GET', '/api/development/queue', { token: staffB })).body.progress;
    expect(set.body.townships.map((t) => t.admitted)).toEqual([a.admitted, b.admitted]);
    expect(set.body.county.admitted).toBe(a.admitted + b.admitted);
    // The county's target is not a township's: township A's own stays 4.
    expect(a.target).toBe(4);

    const read = await c.call<CountyDevelopmentResponse>('GET', '/api/county/development', { token: county, query: { year: '2026' } });
    expect(read.body).toEqual(set.body);
    expect((await c.call<CountyDevelopmentResponse>('GET', '/api/county/development', { token: county, query: { year: '2027' } })).body.county.target).toBeNull();
    for (const token of [staffA, staffB, await c.login('secretary')]) {
      expect((await c.call('GET', '/api/county/development', { token })).status).toBe(403);
      expect((await c.call('PUT', '/api/county/development/targets/2026', { token, body: { target: 1 }, headers: headers() })).status).toBe(403);
    }
    const audits = await c.db.select().from(auditLog).where(eq(auditLog.action, 'development.county_target.set'));
    expect(audits.map((x) => x.details)).toEqual([{ before: null, after: 30 }]);
  });
});
