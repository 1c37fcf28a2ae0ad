/**
 * The printed 介绍信 carries the full ID number (the receiving organization
 * checks the member by it): staff only, each print audited like a reveal,
 * while the letter's screen view keeps the mask.
 */
import { and, eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { auditLog, transfers } from '../../db/schema/index.js';
import { describeEachDriver } from '../helpers/harness.js';
import { expectError } from '../helpers/expect-error.js';

describeEachDriver('printing the transfer letter', (ctx) => {
  it('staff get the full number for the paper, each print audited; the screen view stays masked; officers below staff are refused', async () => {
    const t = ctx();
    const staff = await t.login('staff');
    const [letter] = await t.db.select().from(transfers).where(eq(transfers.state, 'letter_issued')).limit(1);
    expect(letter?.memberId).toBeTruthy();
    const onScreen = await t.call('GET', `/api/transfers/${letter!.id}/letter`, { token: staff });
    expect(onScreen.status).toBe(200);
    expect(onScreen.body.idNumberMasked).toMatch(/^\d{4}\*{13}[\dX]$/);

    const printed = await t.call('POST', `/api/transfers/${letter!.id}/letter/print`, { token: staff });
    expect(printed.status, JSON.stringify(printed.body)).toBe(200);
    const revealed = await t.call('POST', `/api/members/${letter!.memberId}/reveal-id`, { token: staff });
    expect(printed.body.idNumber).toBe(revealed.body.idNumber);
    expect(printed.body.idNumber.slice(0, 4) + '*'.repeat(13) + printed.body.idNumber.slice(-1)).toBe(onScreen.body.idNumberMasked);

    await t.call('POST', `/api/transfers/${letter!.id}/letter/print`, { token: staff });
    const audits = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'transfer.letter_print'), eq(auditLog.targetId, String(letter!.id))));
    expect(audits).toHaveLength(2);
    expect(audits[0]?.details).toMatchObject({ letterNumber: letter!.letterNumber });

    const secretary = await t.login('secretary');
    expectError(await t.call('POST', `/api/transfers/${letter!.id}/letter/print`, { token: secretary }), 403, 'forbidden');
  });

  it('a transfer without a letter has nothing to print', async () => {
    const t = ctx();
    const staff = await t.login('staff');
    const [pending] = await t.db.select().from(transfers).where(eq(transfers.state, 'pending_committee')).limit(1);
    expect(pending).toBeTruthy();
    expectError(await t.call('POST', `/api/transfers/${pending!.id}/letter/print`, { token: staff }), 404, 'not_found');
  });
});
