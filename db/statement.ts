/**
 * A hot statement rendered once per process instead of once per request. Building a large
 * drizzle `sql` template (aliases, column references, nested json_build_object) and rendering it
 * costs more CPU than the rest of a read's request path together (bench/profile.ts); the text
 * never changes between requests, only the values do. `statementTemplate(build)` calls `build`
 * once with a placeholder per value, renders it to PostgreSQL text, and each call binds that
 * request's values into a flat statement that goes through `db.execute` as before (same driver,
 * same statement counter, same parameters in the same places). `queryRows` (db/client.ts) goes one
 * step further: it hands the already rendered text and the request's parameters to the driver
 * session, since even a flat statement is walked chunk by chunk by drizzle's renderer on every
 * `db.execute` (a fifth of the check-in's CPU with its 33 parameters).
 */
import { Param, Placeholder, sql, type Query, type SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';

const dialect = new PgDialect();

export type Values<K extends string> = Record<K, unknown>;

/** The text and parameters of each statement a template bound: what drizzle would render it to. */
const rendered = new WeakMap<SQL, Query>();

/** The rendered query of a statement from `statementTemplate`; undefined for any other SQL. */
export function renderedQueryOf(statement: SQL): Query | undefined {
  return rendered.get(statement);
}

/** `build` must not branch on the values (it sees placeholders): whatever shapes the text goes in the cache key, i.e. another template. */
export function statementTemplate<K extends string>(names: readonly K[], build: (v: Values<K>) => SQL): (values: Values<K>) => SQL {
  let compiled: { strings: TemplateStringsArray; params: unknown[]; text: string } | undefined;
  return (values) => {
    compiled ??= compile(names, build);
    const params = compiled.params.map((p) => (p instanceof Placeholder ? values[p.name as K] : p));
    // Each value stays one parameter (an array too: a bare array in a template would become a list).
    const statement = sql(compiled.strings, ...params.map((p) => new Param(p)));
    rendered.set(statement, { sql: compiled.text, params });
    return statement;
  };
}

function compile<K extends string>(names: readonly K[], build: (v: Values<K>) => SQL) {
  const placeholders = Object.fromEntries(names.map((n) => [n, sql.placeholder(n)])) as unknown as Values<K>;
  const query = dialect.sqlToQuery(build(placeholders));
  // The text between parameters; drizzle numbers them $1…$n in order, each once.
  const pieces = query.sql.split(/\$(\d+)\b/);
  const strings: string[] = [];
  for (let i = 0; i < pieces.length; i += 2) {
    strings.push(pieces[i]!);
    const n = pieces[i + 1];
    if (n !== undefined && Number(n) !== strings.length) throw new Error(`statementTemplate: parameter $${n} out of order`);
  }
  if (strings.length !== query.params.length + 1) throw new Error('statementTemplate: parameters and text disagree');
  return { strings: Object.assign(strings, { raw: strings }) as unknown as TemplateStringsArray, params: query.params, text: query.sql };
}
