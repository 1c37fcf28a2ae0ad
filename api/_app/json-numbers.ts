/**
 * JSON allows one number to be written many ways (`36`, `36.0`, `3.6e1`), and
 * `JSON.parse` makes them all 36: a body id written `3.6e1` would name record 36
 * as surely as the URL spelling `0x24` would. The app's clients write numbers as
 * `JSON.stringify` does, so the other spellings are refused before parsing.
 */

import { ApiError } from './errors.js';

/** 400 for a body that writes a number `36.0` or `3.6e1`. */
export function assertCanonicalNumbers(text: string): void {
  const odd = nonCanonicalNumber(text);
  if (odd === null) return;
  throw new ApiError('validation_failed', `数字请直接写成整数（收到 ${odd.slice(0, 24)}）`, {
    in: 'body',
    issues: [{ path: [], message: '数字不能用小数点或科学计数法书写' }],
  });
}

/** The first number token with an exponent or with a fraction that is all zeros (`36.0`), if any. */
export function nonCanonicalNumber(text: string): string | null {
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      // Skip the string, escapes included.
      i++;
      while (i < n && text.charCodeAt(i) !== 0x22) i += text.charCodeAt(i) === 0x5c /* \ */ ? 2 : 1;
      i++;
      continue;
    }
    if (c === 0x2d /* - */ || (c >= 0x30 && c <= 0x39)) {
      const start = i;
      i++;
      while (i < n && /[0-9.eE+-]/.test(text[i]!)) i++;
      const token = text.slice(start, i);
      if (/[eE]/.test(token) || /\.0+$/.test(token)) return token;
      continue;
    }
    i++;
  }
  return null;
}
