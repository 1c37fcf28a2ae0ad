/**
 * Consent to the privacy guide: read it, agree to the current version (the ID
 * number separately), withdraw it. Each agreement and withdrawal is audited in
 * the same transaction. Registration reads the standing consent inside its own
 * statement (`standingIdConsent` in api/_app/consent.ts).
 */
import { and, desc, eq, inArray, isNull } from 'drizzle-orm';
import * as privacyApi from '../../shared/privacy.js';
import { CONSENT_SCOPE_LABELS, consentCoversIdNumber, PRIVACY_GUIDE_VERSION, type ConsentScope, type ConsentState } from '../../shared/privacy.js';
import type { Db } from '../../db/client.js';
import { privacyConsents } from '../../db/schema/index.js';
import { writeAudit } from '../_app/audit.js';
import { route } from '../_app/context.js';
import { ApiError } from '../_app/errors.js';
import { withIdempotency } from '../_app/idempotency.js';
import { jsonRows, type PersonalDataSection } from '../_app/personal-data.js';

export async function consentStateOf(db: Db, accountId: number): Promise<ConsentState> {
  const rows = await db
    .select({ version: privacyConsents.version, scope: privacyConsents.scope, agreedAt: privacyConsents.agreedAt, withdrawnAt: privacyConsents.withdrawnAt })
    .from(privacyConsents)
    .where(eq(privacyConsents.accountId, accountId))
    .orderBy(desc(privacyConsents.agreedAt), desc(privacyConsents.id));
  const standing = rows.filter((r) => r.withdrawnAt == null && r.version === PRIVACY_GUIDE_VERSION);
  const guide = standing.find((r) => r.scope === 'guide');
  return {
    version: PRIVACY_GUIDE_VERSION,
    agreed: privacyApi.consentScopes.filter((s) => standing.some((r) => r.scope === s)),
    agreedAt: guide ? guide.agreedAt.toISOString() : null,
    coversIdNumber: consentCoversIdNumber(standing),
    outdated: !guide && rows.some((r) => r.withdrawnAt == null && r.version < PRIVACY_GUIDE_VERSION),
    history: rows.map((r) => ({ version: r.version, scope: r.scope, agreedAt: r.agreedAt.toISOString(), withdrawnAt: r.withdrawnAt ? r.withdrawnAt.toISOString() : null })),
  };
}

export const myConsent = route(privacyApi.myConsent, async (ctx) => consentStateOf(ctx.db, ctx.user.accountId));

export const agreeConsent = route(privacyApi.agreeConsent, async (ctx) => {
  const p = ctx.user;
  if (ctx.body.version !== PRIVACY_GUIDE_VERSION) {
    throw new ApiError('conflict', '《隐私保护指引》已经更新，请阅读新版本后再同意', { version: PRIVACY_GUIDE_VERSION });
  }
  const scopes: ConsentScope[] = ctx.body.sensitive ? ['guide', 'sensitive'] : ['guide'];
  return withIdempotency(ctx, 'privacy.agree', async (tx) => {
    // Agreeing again, or two taps at once, meet the unique index of standing consents: nothing is duplicated.
    const added = await tx
      .insert(privacyConsents)
      .values(scopes.map((scope) => ({ accountId: p.accountId, version: PRIVACY_GUIDE_VERSION, scope, agreedAt: ctx.now })))
      .onConflictDoNothing()
      .returning({ scope: privacyConsents.scope });
    if (added.length > 0) {
      const details = { version: PRIVACY_GUIDE_VERSION, scopes: added.map((a) => a.scope) };
      await writeAudit(tx, p, { action: 'privacy.agree', targetType: 'account', targetId: p.accountId, details }, ctx.now);
    }
    return consentStateOf(tx, p.accountId);
  });
});

export const withdrawConsent = route(privacyApi.withdrawConsent, async (ctx) => {
  const p = ctx.user;
  // The ID-number consent rests on the guide's: withdrawing the guide withdraws both.
  const scopes: ConsentScope[] = ctx.body.scope === 'sensitive' ? ['sensitive'] : [...privacyApi.consentScopes];
  return withIdempotency(ctx, 'privacy.withdraw', async (tx) => {
    const withdrawn = await tx
      .update(privacyConsents)
      .set({ withdrawnAt: ctx.now })
      .where(and(eq(privacyConsents.accountId, p.accountId), isNull(privacyConsents.withdrawnAt), inArray(privacyConsents.scope, scopes)))
      .returning({ scope: privacyConsents.scope, version: privacyConsents.version });
    if (withdrawn.length > 0) {
      const details = { scopes: [...new Set(withdrawn.map((w) => w.scope))], versions: [...new Set(withdrawn.map((w) => w.version))] };
      await writeAudit(tx, p, { action: 'privacy.withdraw', targetType: 'account', targetId: p.accountId, details }, ctx.now);
    }
    return consentStateOf(tx, p.accountId);
  });
});

/** The caller's consents and withdrawals, for their data export (api/_app/personal-data.ts). */
export const privacySections: PersonalDataSection[] = [
  {
    key: 'privacy_consents',
    title: '隐私同意记录',
    tables: [privacyConsents],
    rows: (s) =>
      jsonRows(privacyConsents, ['version', 'scope', 'agreedAt', 'withdrawnAt'], {
        where: eq(privacyConsents.accountId, s.accountId),
        orderBy: [privacyConsents.agreedAt, privacyConsents.id],
      }),
    labels: { scope: CONSENT_SCOPE_LABELS },
  },
];
