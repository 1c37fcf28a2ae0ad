/**
 * 转入 of one ID number from several branches at once, on the machine's
 * PostgreSQL through the Neon driver and node-postgres: every secretary is
 * answered alike (201), 党委审批 lets at most one through at a time even when
 * the approvals race, and the person ends up as exactly one roster row.
 */
import { and, asc, count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sealIdNumber } from '../../db/pii.js';
import { accounts, members, organizations, transfers } from '../../db/schema/index.js';
import { isUniqueViolation } from '../../api/_app/errors.js';
import { createTestContext, type TestContext, type TestDriver } from '../helpers/harness.js';
import { alikeIdNumbers } from '../helpers/id-numbers.js';
import { POSTGRES_DRIVERS } from '../helpers/postgres-races.js';
import { incomingBody } from '../helpers/transfer-bodies.js';

for (const driver of POSTGRES_DRIVERS) {
  describe(`转入 races on PostgreSQL [${driver}]`, () => {
    let ctx: TestContext;
    beforeAll(async () => {
      ctx = await createTestContext(driver as TestDriver, { env: { WRITE_RATE_LIMIT: '1000000' } });
    }, 60_000);
    afterAll(async () => {
      await ctx?.close();
    });

    it('three branches register one ID number at once (all answered 201); approvals racing let none through while the others are open; the database refuses a second approved one; one roster row at the end', async () => {
      const [idNumber] = alikeIdNumbers(1);
      const idHash = sealIdNumber(idNumber!, { encryptionKey: ctx.config.idEncryptionKey, hashKey: ctx.config.idHashKey }).idHash;
      const branches = (await ctx.db.select().from(organizations).where(eq(organizations.kind, 'branch')).orderBy(asc(organizations.sortOrder))).slice(0, 3);
      const tokens = await Promise.all(
        branches.map(async (b) => {
          const [a] = await ctx.db.select({ id: accounts.id }).from(accounts).where(and(eq(accounts.role, 'secretary'), eq(accounts.organizationId, b.id)));
          return ctx.login('secretary', a!.id);
        }),
      );
      const body = (toOrganizationId: number) => incomingBody(idNumber!, toOrganizationId, { number: '东组转〔2026〕102号', contactPhone: '13900139002' });
      const filed = await Promise.all(branches.map((b, i) => ctx.call('POST', '/api/transfers', { token: tokens[i]!, body: body(b.id) })));
      expect(filed.map((r) => r.status)).toEqual([201, 201, 201]);

      const staff = await ctx.login('staff');
      const approvals = await Promise.all(filed.map((r) => ctx.call('POST', `/api/transfers/${r.body.id}/approve`, { token: staff, body: { version: 1 } })));
      // Each approval sees the two other open registrations: all are refused until staff turn two down.
      expect(approvals.map((r) => r.status), JSON.stringify(approvals.map((r) => r.body))).toEqual([409, 409, 409]);
      const approved = async () =>
        (await ctx.db.select({ n: count() }).from(transfers).where(and(eq(transfers.idHash, idHash), eq(transfers.state, 'awaiting_report'))))[0]!.n;
      expect(await approved()).toBeLessThanOrEqual(1);

      // The database itself refuses a second approved one, whatever the application checked.
      const ids = filed.map((r) => r.body.id as number);
      await ctx.db.update(transfers).set({ state: 'awaiting_report' }).where(eq(transfers.id, ids[0]!));
      const second = await ctx.db
        .update(transfers)
        .set({ state: 'awaiting_report' })
        .where(eq(transfers.id, ids[1]!))
        .then(
          () => null,
          (err: unknown) => err,
        );
      expect(isUniqueViolation(second, 'transfers_one_approved_per_id_hash_uq')).toBe(true);

      // The two others are turned down; 报到 of the approved one makes one roster row.
      for (const id of ids.slice(1)) {
        const [row] = await ctx.db.select({ version: transfers.version, state: transfers.state }).from(transfers).where(eq(transfers.id, id));
        expect(row?.state).toBe('pending_committee');
        expect((await ctx.call('POST', `/api/transfers/${id}/reject`, { token: staff, body: { version: row!.version, reason: '重复登记' } })).status).toBe(200);
      }
      const [first] = await ctx.db.select({ version: transfers.version }).from(transfers).where(eq(transfers.id, ids[0]!));
      const reported = await Promise.all(
        [staff, tokens[0]!].map((token) => ctx.call('POST', `/api/transfers/${ids[0]}/report`, { token, body: { version: first!.version } })),
      );
      expect(reported.map((r) => r.status).sort()).toEqual([200, 409]);
      const [{ n } = { n: 0 }] = await ctx.db.select({ n: count() }).from(members).where(and(eq(members.idHash, idHash), eq(members.status, 'active')));
      expect(n).toBe(1);
    });
  });
}
