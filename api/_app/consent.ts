/**
 * The standing consent an ID-collecting write checks (registration, linking a 发展党员 record):
 * an SQL boolean the caller folds into a statement it runs anyway, so the check costs no round trip.
 * The rule itself (which scopes, which version) is `consentCoversIdNumber` in shared/privacy.
 */
import { inArray, sql, type SQL } from 'drizzle-orm';
import { CONSENT_REQUIRED_MESSAGE, ID_NUMBER_CONSENT, PRIVACY_GUIDE_VERSION } from '../../shared/privacy.js';
import { privacyConsents } from '../../db/schema/index.js';
import { ApiError } from './errors.js';

/** Whether `accountId` stands agreed (not withdrawn) to every scope the ID number needs, at the current version. */
export function standingIdConsent(accountId: number): SQL<boolean> {
  return sql<boolean>`((select count(distinct ${privacyConsents.scope}) from ${privacyConsents}
    where ${privacyConsents.accountId} = ${accountId}::int and ${privacyConsents.version} = ${PRIVACY_GUIDE_VERSION}::int
      and ${privacyConsents.withdrawnAt} is null and ${inArray(privacyConsents.scope, [...ID_NUMBER_CONSENT])}) = ${ID_NUMBER_CONSENT.length}::int)`.mapWith(Boolean);
}

/** The refusal: 403 `consent_required`, with the version to agree to, so the client opens the guide. */
export const consentRequired = () => new ApiError('consent_required', CONSENT_REQUIRED_MESSAGE, { version: PRIVACY_GUIDE_VERSION });
