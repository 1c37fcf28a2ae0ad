import { expect } from 'vitest';

/** The API's error shape: the status, and `{ error: { code, message } }` with a message to show. */
export const expectError = (res: { status: number; body: unknown }, status: number, code: string) => {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.body).toMatchObject({ error: { code, message: expect.any(String) } });
};

/** The same, and the answer says it is JSON: for refusals made before a handler (limits, body size, CORS). */
export const expectJsonError = (res: { status: number; body: unknown; headers: Headers }, status: number, code: string) => {
  expect(res.headers.get('content-type'), JSON.stringify(res.body)).toContain('application/json');
  expectError(res, status, code);
};
