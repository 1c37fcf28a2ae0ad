/**
 * Writes the onboarding routes and `npm run county:init` share: an organization
 * under its parent (path and order as the tree defines them), an invitation row
 * with only the code's hash, and the codes themselves.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { OrganizationKind } from '../../../shared/common.js';
import {
  INVITATION_ALPHABET,
  INVITATION_CODE_LENGTH,
  INVITATION_VALID_DAYS,
  type InvitationRole,
} from '../../../shared/onboarding.js';
import type { Db } from '../../../db/client.js';
import { invitations, organizations } from '../../../db/schema/index.js';

/** Characters of the alphabet from a byte stream, without modulo bias (bytes ≥ 248 are skipped). */
function codeFrom(next: () => Buffer): string {
  const limit = 256 - (256 % INVITATION_ALPHABET.length);
  let code = '';
  while (code.length < INVITATION_CODE_LENGTH) {
    for (const byte of next()) {
      if (byte < limit && code.length < INVITATION_CODE_LENGTH) code += INVITATION_ALPHABET[byte % INVITATION_ALPHABET.length];
    }
  }
  return code;
}

export const randomInvitationCode = (): string => codeFrom(() => randomBytes(16));

/**
 * The code of the invitation an account creates with an Idempotency-Key: a retry
 * with the same key gets the same code back, although the code is nowhere stored
 * (the idempotency record holds the answer without it). Unpredictable without the
 * server's secret.
 */
export function derivedInvitationCode(secret: string, accountId: number, idempotencyKey: string): string {
  let round = 0;
  return codeFrom(() => createHmac('sha256', secret).update(`invitation\n${accountId}\n${idempotencyKey}\n${round++}`).digest());
}

export const hashInvitationCode = (normalizedCode: string): string => createHash('sha256').update(normalizedCode).digest('hex');

export function expiryFrom(now: Date): Date {
  return new Date(now.getTime() + INVITATION_VALID_DAYS * 86_400_000);
}

export async function insertInvitation(
  db: Db,
  v: { code: string; role: InvitationRole; organizationId: number; memberId?: number | null; createdByAccountId: number | null; now: Date },
): Promise<number> {
  const [row] = await db
    .insert(invitations)
    .values({
      codeHash: hashInvitationCode(v.code),
      role: v.role,
      organizationId: v.organizationId,
      memberId: v.memberId ?? null,
      createdByAccountId: v.createdByAccountId,
      createdAt: v.now,
      expiresAt: expiryFrom(v.now),
    })
    .returning({ id: invitations.id });
  if (!row) throw new Error('invitation not stored');
  return row.id;
}

/**
 * New organizations under `parentId`, after every existing one of their kind in
 * display order (sort orders are county-wide keys, so a county list keeps the
 * older townships' branches first); a name already there is skipped (names are unique within a parent, by
 * index), so repeating a list creates nothing twice. Returns the names created.
 * Paths are the parent's path plus the new id, set in the same transaction.
 */
export async function createChildren(db: Db, parentId: number, kind: OrganizationKind, names: readonly string[]): Promise<string[]> {
  const unique = [...new Set(names)];
  if (unique.length === 0) return [];
  const o = alias(organizations, 'o');
  const base = sql`(select coalesce(max(${o.sortOrder}), 0) from ${organizations} ${o} where ${o.kind} = ${kind})`;
  const created = await db
    .insert(organizations)
    .values(unique.map((name, i) => ({ name, kind, parentId, path: '', sortOrder: sql`${base} + ${i + 1}::int` })))
    .onConflictDoNothing({ target: [organizations.parentId, organizations.name] })
    .returning({ name: organizations.name });
  const [parent] = await db.select({ path: organizations.path }).from(organizations).where(eq(organizations.id, parentId));
  if (!parent) throw new Error('parent organization not found');
  await db
    .update(organizations)
    .set({ path: sql`${parent.path}::text || ${organizations.id} || '/'` })
    .where(and(eq(organizations.parentId, parentId), eq(organizations.path, '')));
  const made = new Set(created.map((c) => c.name));
  return unique.filter((n) => made.has(n));
}

/**
 * The county row, creating it (when a name is given) if there is none: one county per deployment,
 * by a unique partial index, so two runs at once still make one. Null when there is none and no name.
 */
export async function ensureCounty(db: Db, name: string | null): Promise<{ id: number; name: string; created: boolean } | null> {
  const [found] = await db.select({ id: organizations.id, name: organizations.name }).from(organizations).where(eq(organizations.kind, 'county'));
  if (found) return { ...found, created: false };
  if (!name) return null;
  const inserted = await db
    .insert(organizations)
    .values({ name, kind: 'county', path: '' })
    .onConflictDoNothing()
    .returning({ id: organizations.id, name: organizations.name });
  const fresh = inserted[0];
  if (fresh) {
    await db.update(organizations).set({ path: `/${fresh.id}/` }).where(eq(organizations.id, fresh.id));
    return { ...fresh, created: true };
  }
  const [existing] = await db.select({ id: organizations.id, name: organizations.name }).from(organizations).where(eq(organizations.kind, 'county'));
  if (!existing) throw new Error('county neither created nor found');
  return { ...existing, created: false };
}
