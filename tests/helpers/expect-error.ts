import { expect } from 'vitest';

/** The API's error shape: the status, and `{ error: { code, message } }` with a message to show. */
export const expectError = (res: { status: number; body: unknown }, status: number, code: string) => {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.body).toMatchObject({ error: { code, message: expect.any(String) } });
};
