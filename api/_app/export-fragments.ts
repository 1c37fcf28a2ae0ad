/**
 * The personal-data export (GET /api/me/export, api/_domains/my-data.ts) is
 * composed of fragments, each contributed by the domain that owns the tables:
 * a scalar subquery of JSON about the caller, named through the schema.
 * The composer runs them all in one statement with the audit entry.
 */
import { sql, type Column, type SQL } from 'drizzle-orm';

/** Whose data a fragment selects (`memberId` is -1 for an account without a member record). */
export interface DataSubject {
  accountId: number;
  memberId: number;
}

export interface ExportFragment {
  /** A scalar subquery: a JSON array of rows (or, `single`, one object or null). */
  select: (who: DataSubject) => SQL;
  /** A field holding a phone number: masked as the app shows it. */
  maskPhone?: string;
  single?: boolean;
}

/** Output name → schema column (or an expression). */
export type ExportFields = Record<string, Column | SQL>;

const fieldList = (fields: ExportFields) =>
  sql.join(
    Object.entries(fields).map(([name, value]) => sql`${value} as ${sql.identifier(name)}`),
    sql`, `,
  );

/** `[{…}, …]` of the rows `from` (a FROM … WHERE … clause) yields, ordered by output fields; `[]` when none. */
export function jsonRows(fields: ExportFields, from: SQL, orderBy: readonly string[]): SQL {
  const order = sql.join(orderBy.map((name) => sql`x.${sql.identifier(name)}`), sql`, `);
  return sql`coalesce((select json_agg(x order by ${order}) from (select ${fieldList(fields)} from ${from}) x), '[]'::json)`;
}

/** One row as a JSON object, or null. */
export function jsonRow(fields: ExportFields, from: SQL): SQL {
  return sql`(select row_to_json(x) from (select ${fieldList(fields)} from ${from}) x)`;
}
