/**
 * Consent for tests that register someone: the account agrees to the current privacy guide and to the
 * separate ID-number consent through the API, as the mini-program's consent dialog does before 登记.
 */
import { IMPORT_BASIS, PRIVACY_GUIDE_VERSION } from '../../shared/privacy.js';
import type { TestContext } from './harness.js';

/** The account behind `token` agrees to the current guide (and, unless told otherwise, to the ID-number consent). */
export async function agreePrivacy(t: Pick<TestContext, 'call'>, token: string, sensitive = true): Promise<void> {
  const res = await t.call('POST', '/api/privacy/consent', { token, body: { version: PRIVACY_GUIDE_VERSION, guide: true, sensitive } });
  if (res.status !== 200) throw new Error(`privacy consent failed: ${res.status} ${JSON.stringify(res.body)}`);
}

/** A new applicant (a fresh unregistered account) that has agreed, ready to register. */
export async function consentingApplicant(t: Pick<TestContext, 'call' | 'login'>): Promise<string> {
  const token = await t.login('applicant');
  await agreePrivacy(t, token);
  return token;
}

/** Staff confirm the roster import's basis (the organization's own files), as the import page's tick box does. */
export const IMPORT_QUERY = { basis: IMPORT_BASIS };
