/**
 * Structured logs. Nothing personal is ever logged: errors are reduced to their
 * name, code and a message without query parameters (drizzle puts bound values,
 * ID numbers included, into its error messages).
 */
export interface Logger {
  info(event: string, fields?: Record<string, unknown>): void;
  error(event: string, fields?: Record<string, unknown>): void;
}

export const consoleLogger: Logger = {
  info: (event, fields) => console.log(JSON.stringify({ level: 'info', event, ...fields })),
  error: (event, fields) => console.error(JSON.stringify({ level: 'error', event, ...fields })),
};

export const silentLogger: Logger = { info: () => {}, error: () => {} };

export function describeError(err: unknown): Record<string, unknown> {
  if (!(err instanceof Error)) return { error: typeof err };
  const cause = err.cause as { code?: unknown; message?: unknown } | undefined;
  const safeMessage = err.message.startsWith('Failed query') ? 'database query failed' : err.message.split('\nparams:')[0];
  return {
    name: err.name,
    message: safeMessage?.slice(0, 300),
    pgCode: typeof cause?.code === 'string' ? cause.code : undefined,
    cause: typeof cause?.message === 'string' ? cause.message.slice(0, 300) : undefined,
  };
}
