/** The field schemas shared by every domain's contract (re-exported by common.ts, which says why they are apart). */
import { z } from 'zod';
import { isIsoDate, parseIsoMonth } from './calendar.js';
import { checkIdNumber, ID_PROBLEM_MESSAGES, normalizeIdNumber } from './idcard.js';
import { isMainlandMobile, normalizePhone } from './phone.js';

export const isoDate = z
  .string()
  .refine(isIsoDate, { message: '日期请按“年-月-日”填写，如 2026-11-30' });

export const isoMonth = z
  .string()
  .refine((v) => parseIsoMonth(v) !== null, { message: '月份请按“年-月”填写，如 2026-06' });

export const INT4_MAX = 2_147_483_647;

const CANONICAL_INT = /^(?:0|[1-9][0-9]{0,9})$/;

/**
 * A whole number written in a path or a query string: plain decimal digits, the
 * way the app writes them. `0x24`, `+36`, `36.0`, `3.6e1`, ` 36`, `036`, `0b100100`
 * all name 36 to `Number()`, so each one would be a second spelling of the same
 * record; they are refused (400) instead. Client code may pass a number: it is
 * checked as the digits it becomes in the URL.
 */
export function urlInt(min: number, max: number, label = '编号') {
  return z.union([z.string(), z.number()]).transform((raw, ctx) => {
    const text = typeof raw === 'number' ? String(raw) : raw;
    const value = CANONICAL_INT.test(text) ? Number(text) : Number.NaN;
    if (!(value >= min && value <= max)) {
      ctx.addIssue({ code: 'custom', message: `${label}应为 ${min}–${max} 之间的整数（只写数字）` });
      return z.NEVER;
    }
    return value;
  });
}

/** A record id in a path or a query string: `^[1-9][0-9]*$` within int4. */
export const urlId = urlInt(1, INT4_MAX);

/** A record id inside a JSON body (the JSON reader refuses `36.0` and `3.6e1` spellings). */
export const bodyId = z.number().int().positive().max(INT4_MAX);

export const idParam = z.object({ id: urlId });

export const mobilePhone = z
  .string()
  .max(20)
  .transform(normalizePhone)
  .refine(isMainlandMobile, { message: '请输入正确的11位手机号码' });

export const idNumber = z
  .string()
  .max(32)
  .transform(normalizeIdNumber)
  .superRefine((value, ctx) => {
    const check = checkIdNumber(value);
    if (!check.ok) ctx.addIssue({ code: 'custom', message: ID_PROBLEM_MESSAGES[check.problem] });
  });

/** A person's name: Chinese names, minority names with "·", no control characters. */
export const personName = z
  .string()
  .trim()
  .min(1, '请填写姓名')
  .max(40, '姓名过长')
  .refine((v) => !/[\p{Cc}\p{Cf}]/u.test(v), { message: '姓名含有无效字符' });

/** Free text typed by a person: trimmed, bounded, without control characters except newlines. */
export function text(max: number, label = '内容') {
  return z
    .string()
    .trim()
    .max(max, `${label}不能超过${max}个字`)
    .refine((v) => !/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/.test(v), { message: `${label}含有无效字符` });
}

export const okResponse = z.object({ ok: z.literal(true) });

/** `code=label, …`: the OpenAPI description of a coded field. */
export const codeList = (labels: Readonly<Record<string, string>>): string =>
  Object.entries(labels)
    .map(([code, label]) => `${code}=${label}`)
    .join(', ');

/** A stored-code enum whose OpenAPI description names each code's Chinese label. */
export function codeEnum<const T extends readonly [string, ...string[]]>(codes: T, labels: Readonly<Record<T[number], string>>, params?: Parameters<typeof z.enum>[1]) {
  return z.enum(codes, params).describe(codeList(labels));
}
