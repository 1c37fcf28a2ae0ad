/**
 * A new member on a branch's roster with a signed-in member account (fresh state: no transfer, no sign-in, no
 * message). Each caller picks its own name, ID number serial, area code and phone, so members made by two
 * helpers in one file never share an ID number or phone.
 */
import { randomUUID } from 'node:crypto';
import { sealIdNumber } from '../../db/pii.js';
import { accounts, members } from '../../db/schema/index.js';
import { makeIdNumber, makePhone } from '../../db/seed/identity.js';
import { FULL_MEMBER, MALE } from '../../shared/common.js';
import type { TestContext } from './harness.js';

export interface NewMember {
  branchId: number;
  name: string;
  birthDate: string;
  /** The ID number's sequence digits (with `area`, the first six digits). */
  idSerial: number;
  area: string;
  /** `makePhone`'s number. */
  phone: number;
  joinedAt: string;
  confirmedAt: string;
  /** Start of the account's openid (a random tail follows). */
  openid: string;
}

export interface MadeMember {
  memberId: number;
  accountId: number;
  name: string;
  token: string;
}

export async function newMember(t: TestContext, m: NewMember): Promise<MadeMember> {
  const keys = { encryptionKey: t.config.idEncryptionKey, hashKey: t.config.idHashKey };
  const [member] = await t.db
    .insert(members)
    .values({
      name: m.name,
      gender: MALE,
      ethnicity: '汉族',
      birthDate: m.birthDate,
      ...sealIdNumber(makeIdNumber(m.birthDate, MALE, m.idSerial, m.area), keys),
      phone: makePhone(m.phone),
      organizationId: m.branchId,
      category: FULL_MEMBER,
      joinedAt: m.joinedAt,
      confirmedAt: m.confirmedAt,
    })
    .returning();
  const [account] = await t.db
    .insert(accounts)
    .values({ openid: `${m.openid}-${randomUUID()}`, role: 'member', memberId: member!.id, displayName: member!.name, isDemo: 1 })
    .returning();
  return { memberId: member!.id, accountId: account!.id, name: member!.name, token: await t.login('member', account!.id) };
}

let aprilSeq = 0;
/**
 * A member of `branchId` admitted on 10 April, signed in (their token): in June, inside a quarter birthday window
 * and outside a month one, what the settings suites switch between. The Neon run is born a day later, so the two
 * drivers' ID numbers differ.
 */
export async function aprilMember(t: TestContext, branchId: number): Promise<string> {
  const n = aprilSeq++;
  const made = await newMember(t, {
    branchId,
    name: `四月入党${n}`,
    birthDate: `1980-0${(n % 9) + 1}-1${t.driver === 'neon' ? 5 : 4}`,
    idSerial: 60 + n,
    area: '410529',
    phone: 7000 + n,
    joinedAt: '2010-04-10',
    confirmedAt: '2011-04-10',
    openid: 'settings',
  });
  return made.token;
}
