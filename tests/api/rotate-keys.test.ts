/**
 * `npm run keys:rotate-id` (db/rotate-id-keys.ts) on PGlite: every sealed ID
 * number (roster, registrations, incoming transfers) is re-encrypted and
 * re-hashed in one transaction; the app started with the new keys reveals the
 * same numbers and still recognises duplicates (which goes through the hash);
 * a re-run changes nothing; wrong keys roll everything back.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createApp, type App } from '../../api/_app/app.js';
import { loadConfig } from '../../api/_app/config.js';
import { routes } from '../../api/_routes.js';
import { rotateIdKeys, rotationKeysFromEnv, RotationError } from '../../db/rotate-id-keys.js';
import { makeIdNumber } from '../../db/seed/identity.js';
import { sealIdNumber } from '../../db/pii.js';
import { members } from '../../db/schema/index.js';
import { createTestContext, type TestContext } from '../helpers/harness.js';
import { buildWorld, type World } from '../helpers/route-fixtures/index.js';
import { consentingApplicant } from '../helpers/privacy.js';

let ctx: TestContext;
let w: World;
beforeAll(async () => {
  ctx = await createTestContext('pglite', { env: { WRITE_RATE_LIMIT: '1000000' } });
  w = await buildWorld(ctx);
}, 60_000);
afterAll(async () => {
  await ctx?.close();
});

async function call(app: App, method: string, path: string, token: string, body?: unknown) {
  const res = await app.fetch(
    new Request(`http://test.local${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': `rotate-${randomUUID()}` },
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
  );
  return { status: res.status, body: (await res.json()) as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

const registration = (idNumber: string, birthDate: string, gender: 'male' | 'female' = 'male') => ({
  name: '轮换测试',
  gender,
  ethnicity: '汉族',
  birthDate,
  idNumber,
  phone: '13912345678',
  organizationId: w.branchA,
  category: 'full',
  joinedAt: '2015-06-01',
  confirmedAt: '2016-06-01',
});

const rowsOf = <T>(result: unknown) => (result as { rows: T[] }).rows;
const sealedColumns = async () =>
  rowsOf<{ all: string }>(
    await ctx.db.execute(
      sql`select (select string_agg(id_cipher || id_hash, ',' order by id) from members) || '|' ||
                 (select string_agg(id_cipher || id_hash, ',' order by id) from registrations) || '|' ||
                 (select string_agg(id_cipher || id_hash, ',' order by id) from transfers where id_cipher is not null) as all`,
    ),
  )[0];

it('rotates every sealed ID number; the app with the new keys reveals the same numbers and still finds duplicates', async () => {
  const oldApp = ctx.app;
  const staff = w.tokens.staff;
  const withAccount = await w.freshMember();
  // A roster member nobody has registered as yet (imported from the spreadsheet).
  const [withoutAccount] = await ctx.db
    .insert(members)
    .values({
      name: '花名册党员',
      gender: 'female',
      ethnicity: '汉族',
      birthDate: '1975-05-05',
      ...sealIdNumber(makeIdNumber('1975-05-05', 'female', 8, '130108'), { encryptionKey: ctx.config.idEncryptionKey, hashKey: ctx.config.idHashKey }),
      phone: '13700001111',
      organizationId: w.branchA,
      category: 'full',
      joinedAt: '2001-07-01',
      confirmedAt: '2002-07-01',
    })
    .returning({ id: members.id, birthDate: members.birthDate });
  const pendingId = makeIdNumber('1986-04-04', 'male', 12, '130106');
  expect((await call(oldApp, 'POST', '/api/registrations', await consentingApplicant(ctx), registration(pendingId, '1986-04-04'))).status).toBe(201);
  const incomingId = makeIdNumber('1981-02-02', 'male', 34, '130107');
  const incoming = {
    kind: 'in',
    // The filer confirms the member agreed to the privacy guide (their ID number is typed by someone else).
    memberConsent: true,
    name: '转入党员',
    gender: 'male',
    ethnicity: '汉族',
    idNumber: incomingId,
    category: 'full',
    joinedAt: '2012-06-01',
    confirmedAt: '2013-06-01',
    toOrganizationId: w.branchA,
    fromOrganizationName: '中共某县某镇委员会',
    incomingLetterNumber: '来字第001号',
    scope: 'in_county',
    reason: 'relocation',
    duesPaidThrough: '2026-05',
    contactPhone: '13812345678',
  };
  const filed = await call(oldApp, 'POST', '/api/transfers', staff, incoming);
  expect(filed.status, JSON.stringify(filed.body)).toBe(201);
  const idOf = async (app: App, memberId: number) => (await call(app, 'POST', `/api/members/${memberId}/reveal-id`, staff)).body.idNumber as string;
  const before = { withAccount: await idOf(oldApp, withAccount.memberId), withoutAccount: await idOf(oldApp, withoutAccount!.id) };
  const [{ n: memberCount }] = rowsOf<{ n: number }>(await ctx.db.execute(sql`select count(*)::int as n from members`)) as [{ n: number }];

  const newEnv = { ID_ENCRYPTION_KEY: randomBytes(32).toString('base64'), ID_HASH_KEY: randomBytes(24).toString('hex') };
  const { oldKeys, newKeys } = rotationKeysFromEnv({
    ID_ENCRYPTION_KEY_OLD: ctx.config.idEncryptionKey.toString('base64'),
    ID_HASH_KEY_OLD: ctx.config.idHashKey,
    ...newEnv,
  });
  const reports = await rotateIdKeys(ctx.db, oldKeys, newKeys, 7); // small batches: several per table
  expect(reports).toEqual([
    { table: 'members', rotated: memberCount, alreadyNew: 0 },
    { table: 'registrations', rotated: expect.any(Number), alreadyNew: 0 },
    { table: 'transfers', rotated: expect.any(Number), alreadyNew: 0 },
  ]);
  expect(reports[1]!.rotated).toBeGreaterThanOrEqual(1);
  expect(reports[2]!.rotated).toBeGreaterThanOrEqual(1);

  const newApp = createApp({ ...ctx.app.deps, config: loadConfig({ APP_ENV: 'test', WRITE_RATE_LIMIT: '1000000', ...newEnv }) }, routes);
  expect(await idOf(newApp, withAccount.memberId)).toBe(before.withAccount);
  expect(await idOf(newApp, withoutAccount!.id)).toBe(before.withoutAccount);
  // The old keys no longer open anything: the numbers are under the new key only.
  expect((await call(oldApp, 'POST', `/api/members/${withAccount.memberId}/reveal-id`, staff)).status).toBe(500);

  // Duplicate detection goes through the new hash: each of these is recognised (registrations: by
  // the reviewer, since the applicant is told nothing about whom a number belongs to).
  const bound = await call(newApp, 'POST', '/api/registrations', await consentingApplicant(ctx), registration(before.withAccount, `${before.withAccount.slice(6, 10)}-${before.withAccount.slice(10, 12)}-${before.withAccount.slice(12, 14)}`));
  expect(bound.status, JSON.stringify(bound.body)).toBe(201);
  const pendingAgain = await call(newApp, 'POST', '/api/registrations', await consentingApplicant(ctx), registration(pendingId, '1986-04-04'));
  expect(pendingAgain.status, JSON.stringify(pendingAgain.body)).toBe(201);
  const incomingAgain = await call(newApp, 'POST', '/api/transfers', staff, { ...incoming, incomingLetterNumber: '来字第002号' });
  expect(incomingAgain.status, JSON.stringify(incomingAgain.body)).toBe(409);
  const onRoster = await call(newApp, 'POST', '/api/registrations', await consentingApplicant(ctx), registration(before.withoutAccount, withoutAccount!.birthDate, 'female'));
  expect(onRoster.status, JSON.stringify(onRoster.body)).toBe(201);
  const review = (await call(newApp, 'GET', '/api/registrations', staff)).body.items as { id: number; matchesRosterMember: boolean; conflicts: string[] }[];
  expect(review.find((r) => r.id === bound.body.id)).toMatchObject({ matchesRosterMember: true, conflicts: ['account_bound'] });
  expect(review.find((r) => r.id === pendingAgain.body.id)?.conflicts).toEqual(['duplicate_pending']);
  expect(review.find((r) => r.id === onRoster.body.id)).toMatchObject({ matchesRosterMember: true, conflicts: [] });

  // Idempotent: a re-run finds everything under the new key and changes nothing.
  const sealed = await sealedColumns();
  const again = await rotateIdKeys(ctx.db, oldKeys, newKeys);
  expect(again.every((r) => r.rotated === 0 && r.alreadyNew > 0)).toBe(true);
  expect(await sealedColumns()).toEqual(sealed);

  // Keys that open nothing: refused, and the whole transaction rolled back.
  const wrong = { encryptionKey: randomBytes(32), hashKey: 'wrong-hash-key-0000' };
  const other = { encryptionKey: randomBytes(32), hashKey: 'other-hash-key-0000' };
  await expect(rotateIdKeys(ctx.db, wrong, other)).rejects.toBeInstanceOf(RotationError);
  expect(await sealedColumns()).toEqual(sealed);
});

it('the command refuses missing, malformed or unchanged keys', () => {
  const key = randomBytes(32).toString('base64');
  expect(() => rotationKeysFromEnv({ ID_ENCRYPTION_KEY: key, ID_HASH_KEY: 'x'.repeat(16) })).toThrow(/ID_ENCRYPTION_KEY_OLD/);
  expect(() => rotationKeysFromEnv({ ID_ENCRYPTION_KEY_OLD: 'short', ID_HASH_KEY_OLD: 'a'.repeat(16), ID_ENCRYPTION_KEY: key, ID_HASH_KEY: 'b'.repeat(16) })).toThrow(/32/);
  expect(() => rotationKeysFromEnv({ ID_ENCRYPTION_KEY_OLD: key, ID_HASH_KEY_OLD: 'a'.repeat(16), ID_ENCRYPTION_KEY: key, ID_HASH_KEY: 'a'.repeat(16) })).toThrow(/相同/);
});
