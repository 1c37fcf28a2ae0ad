/**
 * The message centre suites' pieces: listing a caller's messages and reminders, a write that must succeed, a new
 * member admitted in June (the test month is their political-birthday month), and the accounts around branch A.
 */
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { addDays } from '../../shared/calendar.js';
import type { TestContext } from './harness.js';
import { newMember as addMember } from './new-member.js';
import { accountIn, branchesOf, secretaryToken, townshipId } from './townships.js';

export interface Msg {
  id: number;
  kind: string;
  title: string;
  body: string;
  targetType: string;
  targetId: number | null;
  read: boolean;
}
export interface Reminder {
  key: string;
  kind: string;
  targetType: string;
  targetId: number | null;
}
export interface Listing {
  items: Msg[];
  nextBefore: number | null;
  unreadCount: number;
  reminders: Reminder[];
}

/** A fresh Idempotency-Key for a write. */
export const headers = () => ({ 'idempotency-key': `msg-${randomUUID()}` });
let seq = 0;
/** One counter for the people a suite makes (birth dates, ID numbers, phones), so none repeats. */
export const nextSeq = () => seq++;

export function messageCentre(ctx: () => TestContext) {
  const list = async (token: string, query?: Record<string, string>) => {
    const res = await ctx().call<Listing>('GET', '/api/messages', { token, query });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  };
  const about = async (token: string, targetType: string, targetId: number) => (await list(token)).items.filter((m) => m.targetType === targetType && m.targetId === targetId);
  const post = async <T = unknown>(path: string, token: string, body: unknown = {}) => {
    const res = await ctx().call<T>('POST', path, { token, body, headers: headers() });
    expect(res.status, `${path} ${JSON.stringify(res.body)}`).toBeLessThan(300);
    return res.body;
  };

  /** A new member of a branch with an account (admitted in June, so the test month is their political-birthday month). */
  async function newMember(t: TestContext, branchId: number) {
    const n = nextSeq();
    return addMember(t, {
      branchId,
      name: `消息党员${n}`,
      birthDate: addDays('1975-01-01', n * 3 + (t.driver === 'neon' ? 1 : 0)),
      idSerial: 200 + n,
      area: '150103',
      phone: 7000 + n,
      joinedAt: '2010-06-10',
      confirmedAt: '2011-06-10',
      openid: 'msg',
    });
  }

  async function people(t: TestContext) {
    const [branchA, branchB] = (await branchesOf(t.db, 'A')) as [number, number];
    const [branchOfB] = (await branchesOf(t.db, 'B')) as [number];
    return {
      branchA,
      secretaryA: await secretaryToken(t, branchA),
      secretaryB: await secretaryToken(t, branchB),
      staffA: await t.login('staff', await accountIn(t.db, 'staff', await townshipId(t.db, 'A'))),
      staffB: await t.login('staff', await accountIn(t.db, 'staff', await townshipId(t.db, 'B'))),
      secretaryOfB: await secretaryToken(t, branchOfB),
      county: await t.login('county'),
    };
  }
  return { list, about, post, newMember, people };
}
