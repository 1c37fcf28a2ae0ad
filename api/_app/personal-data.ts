/**
 * The member's own data export (PIPL arts. 44–45, GET /api/me/export) is composed of sections, one per kind
 * of record, each declared by the domain that owns the table (`api/_domains/<domain>/personal-data.ts`) and
 * listed once in `api/_routes.ts`. A new table that holds a member's data adds its section there; the
 * completeness test (tests/api/privacy.test.ts) fails for a table that names a member or an account and
 * is in no section, nor in the list of what is not the member's own data.
 *
 * A section is a sub-select of the export's one statement (rows as JSON, names from the Drizzle schema),
 * so the whole export stays one round trip however many domains contribute.
 */
import { sql, type Column, type SQL, type Table } from 'drizzle-orm';
import { withLabels } from '../../shared/common.js';
import { maskPhone } from '../../shared/phone.js';
import { jsonObject } from '../../db/sql.js';

/** Whose data: the caller's account and, when they are on the roster, their member record (-1 when none). */
export interface DataSubject {
  accountId: number;
  memberId: number;
}

export interface PersonalDataSection {
  /** Stable key of the section in the file (snake_case). */
  key: string;
  /** What the rows are, in the app's words (the summary and the file show it). */
  title: string;
  /** The tables the section reads (the completeness test checks every personal table is somewhere). */
  tables: readonly Table[];
  /** A JSON array of the rows (or null when there are none), for the subject only. */
  rows(subject: DataSubject): SQL;
  /** Stored codes shown as the labels the app uses: `{ way: STUDY_WAY_LABELS }`. */
  labels?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Fields holding phone numbers: masked as the app shows them. */
  phones?: readonly string[];
  /** Codes inside a nested list (a transfer's timeline, a record's steps): `{ events: { action: TRANSFER_ACTION_LABELS } }`. */
  nestedLabels?: Readonly<Record<string, Readonly<Record<string, Readonly<Record<string, string>>>>>>;
}

/** Rows of a table as JSON keyed by the schema's property names, for `where`, in `orderBy` order. */
export function jsonRows<T extends Table, K extends keyof T['_']['columns'] & string>(
  table: T,
  keys: readonly K[],
  options: { where: SQL; orderBy: (Column | SQL)[]; extra?: Record<string, SQL> },
): SQL {
  return sql`select json_agg(${jsonObject(table, keys, options.extra)} order by ${sql.join(options.orderBy, sql`, `)}) from ${table} where ${options.where}`;
}

type Row = Record<string, unknown>;

/** The select list of the export statement: one JSON array per section, under the section's key. */
export function sectionColumns(sections: readonly PersonalDataSection[], subject: DataSubject): SQL {
  return sql.join(
    sections.map((s) => sql`coalesce((${s.rows(subject)}), '[]'::json) as ${sql.identifier(s.key)}`),
    sql`, `,
  );
}

/** Each section's rows as the member reads them: labels for codes, phone numbers masked. */
export function presentSections(sections: readonly PersonalDataSection[], row: Record<string, unknown>) {
  return sections.map((s) => ({ key: s.key, title: s.title, rows: ((row[s.key] as Row[] | null) ?? []).map((r) => present(s, r)) }));
}

function present(section: PersonalDataSection, row: Row): Row {
  const masked = { ...row };
  for (const field of section.phones ?? []) if (typeof masked[field] === 'string') masked[field] = maskPhone(masked[field]);
  for (const [field, labels] of Object.entries(section.nestedLabels ?? {})) {
    if (Array.isArray(masked[field])) masked[field] = (masked[field] as Row[]).map((item) => withLabels(item, labels));
  }
  return section.labels ? withLabels(masked, section.labels) : masked;
}
