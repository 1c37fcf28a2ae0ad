/** Mainland China mobile numbers: 11 digits starting 13–19, optional +86. */
const MOBILE = /^1[3-9]\d{9}$/;

export function normalizePhone(raw: string): string {
  return raw.replace(/[\s-]/g, '').replace(/^(\+?86)(?=1\d{10}$)/, '');
}

export function isMainlandMobile(raw: string): boolean {
  return MOBILE.test(normalizePhone(raw));
}

/** `138****5678`, for lists. */
export function maskPhone(raw: string): string {
  const p = normalizePhone(raw);
  return p.length === 11 ? `${p.slice(0, 3)}****${p.slice(7)}` : '****';
}
