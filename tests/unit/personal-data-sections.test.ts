/**
 * The personal-data export (GET /api/me/export) leaves out no kind of record: every table that points at a
 * member or an account is read by a section some domain declares (api/_app/personal-data.ts), or is named
 * below with the reason it is not the member’s own data. A new table with a member_id fails here until its
 * domain adds a section or the table is listed with its reason.
 */
import { getTableName, is, Table } from 'drizzle-orm';
import { getTableConfig, type PgTable } from 'drizzle-orm/pg-core';
import { describe, expect, it } from 'vitest';
import { PERSONAL_DATA_SECTIONS } from '../../api/_routes.js';
import * as schema from '../../db/schema/index.js';

/** Read by the members domain itself (the account, the roster record, the access log). */
const READ_BY_MEMBERS_DOMAIN = ['accounts', 'members', 'audit_log'];
/** Tables that point at an account or a member only as the officer who acted, or as machinery. */
const NOT_THE_MEMBERS_OWN: Record<string, string> = {
  idempotency_keys: 'request fingerprints and replayed answers: machinery, and the answers are in the other sections',
  rate_limits: 'counters for abuse limits',
  organizations: 'the tree of committees and branches',
  study_events: 'a collective study names only the officer who set it up; a member’s part in it is their study entry',
  commendation_campaigns: 'a campaign names only the staff who created it; the member’s commendations are their own section',
  invitations: 'a code names who issued it and which account used it; what it gave (role, organization) is in the account section',
  commendation_targets: 'a township’s yearly targets, set by staff',
  orglife_meeting_photos: 'a meeting’s photo names only the officer who added or removed it; it is the branch’s 台账, read by its officers',
};

const tables = (Object.values(schema) as unknown[]).filter((v): v is PgTable => is(v, Table));
const covered = new Set(PERSONAL_DATA_SECTIONS.flatMap((s) => s.tables.map((t) => getTableName(t))));

describe('the personal-data export covers every personal table', () => {
  it('each table pointing at a member or an account is in a section or listed with its reason', () => {
    const personal = tables
      .filter((t) => getTableConfig(t).foreignKeys.some((fk) => ['members', 'accounts'].includes(getTableName(fk.reference().foreignTable))))
      .map((t) => getTableName(t));
    expect(personal.length).toBeGreaterThan(10);
    const missing = personal.filter((name) => !covered.has(name) && !READ_BY_MEMBERS_DOMAIN.includes(name) && !(name in NOT_THE_MEMBERS_OWN));
    expect(missing, 'add a section in the owning domain (api/_domains/<domain>/personal-data.ts) or say why not').toEqual([]);
  });

  it('section keys are unique, so no section hides another in the file', () => {
    const keys = PERSONAL_DATA_SECTIONS.map((s) => s.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.every((k) => /^[a-z_]+$/.test(k))).toBe(true);
  });
});
