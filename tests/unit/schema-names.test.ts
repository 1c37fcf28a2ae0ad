/** The CHECK lists are generated from the shared tuples (db/sql.ts inList), so a value added in shared/ is a value the database accepts. */
import { describe, expect, it } from 'vitest';
import { getTableConfig, PgDialect, type PgTable } from 'drizzle-orm/pg-core';
import * as schema from '../../db/schema/index.js';
import { inList, literalList } from '../../db/sql.js';
import { genders, memberCategories, memberStatuses, organizationKinds, roles } from '../../shared/common.js';
import { commendationCategories, commendationLevels } from '../../shared/commendations.js';
import { registrationStatuses } from '../../shared/registrations.js';
import { studySources, studyWays } from '../../shared/study.js';
import { transferKinds, transferReasons, transferScopes, transferStates } from '../../shared/transfers.js';
import { signInModes } from '../../shared/birthdays.js';

const dialect = new PgDialect();
const checkSql = (table: PgTable, name: string) => {
  const found = getTableConfig(table).checks.find((c) => c.name === name);
  if (!found) throw new Error(`no check ${name}`);
  return dialect.sqlToQuery(found.value).sql;
};
const listOf = (values: readonly string[]) => dialect.sqlToQuery(literalList(values)).sql;

describe('CHECK constraints come from the shared tuples', () => {
  it('inList writes literals, quoting quotes, with no parameters', () => {
    const q = dialect.sqlToQuery(inList(schema.members.gender, ['a', "b'c"]));
    expect(q.sql).toBe(`"members"."gender" in ('a', 'b''c')`);
    expect(q.params).toEqual([]);
  });

  it.each([
    [schema.organizations, 'organizations_kind_ck', 'kind', organizationKinds],
    [schema.members, 'members_category_ck', 'category', memberCategories],
    [schema.members, 'members_status_ck', 'status', memberStatuses],
    [schema.members, 'members_gender_ck', 'gender', genders],
    [schema.accounts, 'accounts_role_ck', 'role', roles],
    [schema.registrations, 'registrations_status_ck', 'status', registrationStatuses],
    [schema.registrations, 'registrations_gender_ck', 'gender', genders],
    [schema.registrations, 'registrations_category_ck', 'category', memberCategories],
    [schema.studySessions, 'study_sessions_way_ck', 'way', studyWays],
    [schema.studyEvents, 'study_events_way_ck', 'way', studyWays],
    [schema.studyEntries, 'study_entries_way_ck', 'way', studyWays],
    [schema.studyEntries, 'study_entries_source_ck', 'source', studySources],
    [schema.birthdaySignIns, 'birthday_sign_ins_mode_ck', 'mode', signInModes],
    [schema.commendations, 'commendations_category_ck', 'category', commendationCategories],
    [schema.commendations, 'commendations_level_ck', 'level', commendationLevels],
    [schema.commendationTargets, 'commendation_targets_category_ck', 'category', commendationCategories],
    [schema.transfers, 'transfers_kind_ck', 'kind', transferKinds],
    [schema.transfers, 'transfers_state_ck', 'state', transferStates],
    [schema.transfers, 'transfers_scope_ck', 'scope', transferScopes],
    [schema.transfers, 'transfers_reason_ck', 'reason', transferReasons],
  ] as const)('%#: %s lists exactly its tuple', (table, name, column, values) => {
    expect(checkSql(table, name)).toBe(`"${getTableConfig(table).name}"."${column}" in ${listOf(values)}`);
  });
});
