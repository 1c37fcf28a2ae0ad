/**
 * Raw SQL that takes its names from the Drizzle schema, so renaming a column
 * or a table fails to compile instead of failing at run time.
 *
 * - A table under an alias: `const e = alias(studyEntries, 'e')`, then `from ${studyEntries} ${e}` and `${e.memberId}` (`"e"."member_id"`).
 * - A bare column name (insert lists, ON CONFLICT targets, SET): `${col(studyEntries.memberId)}`.
 * - A row as JSON keyed by the schema's property names: `${jsonObject(e, ENTRY_FIELDS)}`, typed `JsonRow<typeof studyEntries, ...>`.
 * - CHECK lists from the shared tuples: `inList(t.way, studyWays)`.
 */
import { sql, type Column, type InferSelectModel, type SQL, type Table } from 'drizzle-orm';

/** A timestamp as raw SQL returns it (inside JSON: text in the session's time zone): UTC ISO. */
export const iso = (value: string | Date): string => new Date(value).toISOString();

/** The bare, quoted name of a column: `"member_id"`. */
export const col = (column: Column): SQL => sql`${sql.identifier(column.name)}`;

/** A parenthesised list of bare column names: `("member_id", "day")`. */
export const cols = (...columns: Column[]): SQL => sql`(${sql.join(columns.map(col), sql`, `)})`;

/** The column of a relation known only by its name in the statement (a CTE, a subquery): `inserted."member_id"`. */
export const ref = (relation: string, column: Column): SQL => sql`${sql.identifier(relation)}.${sql.identifier(column.name)}`;

type Columns<T extends Table> = T['_']['columns'];

/** A value as it comes back inside json_build_object: timestamps are strings. */
type Jsonish<V> = V extends Date ? string : V;
/** The row of `T` restricted to `K`, as json_build_object returns it (keys are the schema's property names). */
export type JsonRow<T extends Table, K extends keyof InferSelectModel<T>> = { [P in K]: Jsonish<InferSelectModel<T>[P]> };

/**
 * `json_build_object('memberId', e."member_id", …)` over the chosen columns of a table (or an alias of one),
 * plus any computed fields (`extra`: a nested list, a joined name) under their own keys.
 */
export function jsonObject<T extends Table, K extends keyof Columns<T> & string>(table: T, keys: readonly K[], extra: Record<string, SQL> = {}): SQL {
  const columns = table as unknown as Record<string, Column>;
  return sql`json_build_object(${sql.join(
    [
      ...keys.map((k) => sql`${sql.raw(quoteLiteral(k))}, ${columns[k]}`),
      ...Object.entries(extra).map(([k, value]) => sql`${sql.raw(quoteLiteral(k))}, ${value}`),
    ],
    sql`, `,
  )})`;
}

/** A select list `e."member_id" as "memberId", …`, so a raw row has the schema's property names. */
export function selectAs<T extends Table, K extends keyof Columns<T> & string>(table: T, keys: readonly K[]): SQL {
  const columns = table as unknown as Record<string, Column>;
  return sql.join(
    keys.map((k) => sql`${columns[k]} as ${sql.identifier(k)}`),
    sql`, `,
  );
}

function quoteLiteral(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/**
 * `column in ('a', 'b')` from a shared tuple, for CHECK constraints. The values
 * are written as literals (a CHECK cannot take parameters), exactly as the
 * hand-written lists were, so drizzle-kit sees the same constraint.
 */
export function inList(column: Column | SQL, values: readonly string[]): SQL {
  return sql`${column} in ${literalList(values)}`;
}

/** `('a', 'b')`: a literal list for CHECK constraints and partial-index predicates. */
export function literalList(values: readonly string[]): SQL {
  return sql.raw(`(${values.map(quoteLiteral).join(', ')})`);
}

/** A single literal for CHECK constraints: `'预备党员'`. */
export const literal = (value: string): SQL => sql.raw(quoteLiteral(value));
