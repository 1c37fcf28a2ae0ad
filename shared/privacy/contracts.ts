/** Consent to the privacy guide: scopes, the rule that says whether an account may give its ID number, and the routes. */
import { z } from 'zod';
import { endpoint } from '../http.js';
import { PRIVACY_GUIDE_VERSION } from './guide.js';

/**
 * An officer who types someone else's ID number (登记转入, an 入党申请 filed by the branch) confirms the person
 * was told the guide and agreed (PIPL arts. 14, 29); the guide's version goes into the write's audit entry.
 */
export const onBehalfConsent = z.literal(true, { error: '请确认已向本人说明《隐私保护指引》，并征得本人同意' });

/**
 * `guide`: the guide as a whole (PIPL art. 14: informed consent); `sensitive`: the separate consent
 * art. 29 requires for the ID number. Both, at the current version, before an ID number is collected.
 */
export const consentScopes = ['guide', 'sensitive'] as const;
export type ConsentScope = (typeof consentScopes)[number];
export const CONSENT_SCOPE_LABELS: Record<ConsentScope, string> = { guide: '隐私保护指引', sensitive: '身份证号（敏感个人信息）' };

/** The scopes that must stand at the current version before the account's own ID number is taken. */
export const ID_NUMBER_CONSENT: readonly ConsentScope[] = consentScopes;

/** Whether the scopes an account agreed to (at `version`, not withdrawn) let it give its ID number. */
export function consentCoversIdNumber(agreed: readonly { scope: ConsentScope; version: number }[], version = PRIVACY_GUIDE_VERSION): boolean {
  return ID_NUMBER_CONSENT.every((scope) => agreed.some((a) => a.scope === scope && a.version === version));
}

export const CONSENT_REQUIRED_MESSAGE = '请先阅读《隐私保护指引》，并单独同意收集身份证号，再提交登记';

export const consentState = z.object({
  /** The guide's current version. */
  version: z.number().int(),
  /** Scopes agreed at the current version and not withdrawn. */
  agreed: z.array(z.enum(consentScopes)),
  /** When the current version was agreed (the general consent), if it was. */
  agreedAt: z.string().nullable(),
  /** Whether registration (which takes the ID number) may go ahead. */
  coversIdNumber: z.boolean(),
  /** An earlier version was agreed and the guide changed since: ask again. */
  outdated: z.boolean(),
  /** Every consent the account gave, newest first, with when it was withdrawn. */
  history: z.array(z.object({ version: z.number().int(), scope: z.enum(consentScopes), agreedAt: z.string(), withdrawnAt: z.string().nullable() })),
});
export type ConsentState = z.infer<typeof consentState>;

export const myConsent = endpoint({
  method: 'GET',
  path: '/api/privacy/consent',
  summary: '我对《隐私保护指引》的同意情况（当前版本、是否需要重新同意、历史记录）',
  access: 'authenticated',
  ownership: 'self',
  response: consentState,
  idempotent: true,
});

export const agreeConsent = endpoint({
  method: 'POST',
  path: '/api/privacy/consent',
  summary: '同意《隐私保护指引》（当前版本）；身份证号须另行单独同意；写入审计日志',
  access: 'authenticated',
  ownership: 'self',
  idempotencyKey: 'optional',
  body: z
    .object({
      /** The version the user read: an older one (the guide changed while the page was open) is refused. */
      version: z.number().int().positive().max(1000),
      guide: z.literal(true, { error: '请勾选同意《隐私保护指引》' }),
      /** The separate consent for the ID number: its own box, which the user may leave unticked. */
      sensitive: z.boolean(),
    })
    .strict(),
  response: consentState,
  idempotent: true,
});

export const withdrawConsent = endpoint({
  method: 'POST',
  path: '/api/privacy/consent/withdraw',
  summary: '撤回同意（之后不能再登记；已在花名册中的信息由党组织继续保存）；写入审计日志',
  access: 'authenticated',
  ownership: 'self',
  idempotencyKey: 'optional',
  body: z.object({ scope: z.enum(consentScopes).optional() }).strict(),
  response: consentState,
  idempotent: true,
});
