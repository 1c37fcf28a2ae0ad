/**
 * A session for an account row as it now stands, and the account as the client
 * sees it: login, refresh and redeeming an invitation all answer with both.
 */
import { eq } from 'drizzle-orm';
import type { Account } from '../../shared/auth.js';
import type { Db } from '../../db/client.js';
import { accounts, organizations } from '../../db/schema/index.js';
import { signSession, type Principal } from './auth.js';
import type { AppDeps } from './context.js';

export type AccountRow = typeof accounts.$inferSelect;

export const principalOf = (a: AccountRow): Principal => ({
  accountId: a.id,
  role: a.role,
  organizationId: a.organizationId,
  memberId: a.memberId,
  authVersion: a.authVersion,
});

export async function issueSession(deps: AppDeps, account: AccountRow, now: Date) {
  return signSession(principalOf(account), deps.config.sessionSecret, now, {
    accessMinutes: deps.config.accessTokenTtlMinutes,
    refreshDays: deps.config.refreshTokenTtlDays,
  });
}

export async function accountView(db: Db, a: AccountRow): Promise<Account> {
  const [org] = a.organizationId
    ? await db
        .select({ id: organizations.id, parentId: organizations.parentId, name: organizations.name, kind: organizations.kind })
        .from(organizations)
        .where(eq(organizations.id, a.organizationId))
    : [];
  return { id: a.id, role: a.role, displayName: a.displayName, organization: org ?? null, memberId: a.memberId };
}
