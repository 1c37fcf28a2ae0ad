/**
 * Structured logs. Nothing personal is ever logged: errors are reduced to their
 * name, code and a message without query parameters (drizzle puts bound values,
 * ID numbers included, into its error messages).
 */
export interface Logger {
  info(event: string, fields?: Record<string, unknown>): void;
  error(event: string, fields?: Record<string, unknown>): void;
}

/**
 * ID numbers (18 digits, or 17 and a check letter X; the old 15-digit form) are
 * masked wherever they turn up: PostgreSQL quotes offending values in some
 * messages (`invalid input syntax for type bigint: "…"`).
 */
const ID_NUMBER_LIKE = /(?<![0-9A-Za-z])(?:\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])/g;
export const redact = (text: string): string => text.replace(ID_NUMBER_LIKE, '[ID]');

export const consoleLogger: Logger = {
  info: (event, fields) => console.log(redact(JSON.stringify({ level: 'info', event, ...fields }))),
  error: (event, fields) => console.error(redact(JSON.stringify({ level: 'error', event, ...fields }))),
};

export const silentLogger: Logger = { info: () => {}, error: () => {} };

export function describeError(err: unknown): Record<string, unknown> {
  if (!(err instanceof Error)) return { error: typeof err };
  const cause = err.cause as { code?: unknown; message?: unknown } | undefined;
  const safeMessage = err.message.startsWith('Failed query') ? 'database query failed' : err.message.split('\nparams:')[0];
  return {
    name: err.name,
    message: safeMessage === undefined ? undefined : redact(safeMessage.slice(0, 300)),
    pgCode: typeof cause?.code === 'string' ? cause.code : undefined,
    cause: typeof cause?.message === 'string' ? redact(cause.message.slice(0, 300)) : undefined,
  };
}
