/**
 * Every setting a township (乡镇党委) or the county (县委组织部) may change, in one place: each key's
 * schema with its bounds, its default, and the one resolver the readers use. The values live in
 * `organizations.settings` (jsonb): the county row holds the county-wide defaults, a township's
 * committee row its own choices; a township's value wins key by key (and, for the grouped keys,
 * item by item). Anything malformed in a row reads as not set, so a bad value can never stop a
 * page: it falls back to the county's value, then to the default below.
 *
 * The domain rules keep their logic and take these typed values (birthdays/rules.ts,
 * transfers/letters.ts, orglife/rules.ts). The stored key names are the ones the data already
 * uses (`orglifeDueSoonDays`, `birthdayReminderTemplateId`), so nothing needs migrating.
 */
import { z } from 'zod';
import { endpoint } from './http.js';
import { urlId } from './common.js';
import { birthdayWindows } from './birthdays/rules.js';
import { DEFAULT_DUE_SOON_DAYS, DEFAULT_FREQUENCIES, DEFAULT_PARTY_DAY, dueKinds, frequencies, type DueKind, type Frequency } from './orglife/rules.js';
import { DEFAULT_LECTURE_QUOTA, MAX_LECTURE_QUOTA } from './orglife/duty.js';
import { DEFAULT_VALIDITY_DAYS, MAX_VALIDITY_DAYS } from './transfers/letters.js';
import { transferScopes, type TransferScope } from './transfers/machine.js';

const validityDays = z.number().int().min(1, '有效期至少1天').max(MAX_VALIDITY_DAYS, `有效期最长${MAX_VALIDITY_DAYS}天（3个月）`);
const frequency = z.enum(frequencies);
const templateId = z.string().regex(/^[\w-]{8,64}$/, '模板ID为8到64位字母、数字、-或_，请从微信公众平台复制');

/** One schema per plain key: what a stored value must look like to count. */
const plain = {
  birthdayWindow: z.enum(birthdayWindows),
  /** 回执 comes back within this many days of the letter; not set = within one calendar month (the usual rule). */
  receiptDueDays: z.number().int().min(7, '回执期限至少7天').max(90, '回执期限最长90天'),
  partyDayOfMonth: z.number().int().min(1, '请填写1到28之间的日子').max(28, '请填写1到28之间的日子（每个月都有的日子）'),
  orglifeDueSoonDays: z.number().int().min(0, '请填写0到31之间的天数').max(31, '请填写0到31之间的天数'),
  /** 党课 each 班子成员 and branch secretary gives a year at their assigned villages (the plan's "*次"). */
  lectureQuotaPerYear: z.number().int().min(1, `请填写1到${MAX_LECTURE_QUOTA}之间的次数`).max(MAX_LECTURE_QUOTA, `请填写1到${MAX_LECTURE_QUOTA}之间的次数`),
  /** The 政治生日 subscribe-message template of the county's mini-program (微信公众平台 → 订阅消息). */
  birthdayReminderTemplateId: templateId,
  /** The 转接进度 subscribe-message template: the apply page offers "进度提醒我" only when it is set. */
  transferProgressTemplateId: templateId,
} as const;
type PlainKey = keyof typeof plain;

/** Grouped keys: a record whose items are resolved one by one. */
const grouped = {
  transferValidityDays: { items: transferScopes, schema: validityDays },
  orglifeFrequencies: { items: dueKinds, schema: frequency },
} as const;
type GroupedKey = keyof typeof grouped;

export type SettingKey = PlainKey | GroupedKey;
export const SETTING_KEYS = [...(Object.keys(plain) as PlainKey[]), ...(Object.keys(grouped) as GroupedKey[])] as const;

export interface Settings {
  birthdayWindow: (typeof birthdayWindows)[number];
  receiptDueDays: number | null;
  partyDayOfMonth: number;
  orglifeDueSoonDays: number;
  lectureQuotaPerYear: number;
  birthdayReminderTemplateId: string | null;
  transferProgressTemplateId: string | null;
  transferValidityDays: Record<TransferScope, number>;
  orglifeFrequencies: Record<DueKind, Frequency>;
}

export const DEFAULT_SETTINGS: Settings = {
  birthdayWindow: 'month',
  receiptDueDays: null,
  partyDayOfMonth: DEFAULT_PARTY_DAY,
  orglifeDueSoonDays: DEFAULT_DUE_SOON_DAYS,
  lectureQuotaPerYear: DEFAULT_LECTURE_QUOTA,
  birthdayReminderTemplateId: null,
  transferProgressTemplateId: null,
  transferValidityDays: { ...DEFAULT_VALIDITY_DAYS },
  orglifeFrequencies: { ...DEFAULT_FREQUENCIES },
};

/** Where an effective value came from: nobody set it, the county's default, or the township's own. */
export const settingSources = ['default', 'county', 'township'] as const;
export type SettingSource = (typeof settingSources)[number];
export type SettingSources = { [K in PlainKey]: SettingSource } & { transferValidityDays: Record<TransferScope, SettingSource>; orglifeFrequencies: Record<DueKind, SettingSource> };

export interface ResolvedSettings {
  values: Settings;
  sources: SettingSources;
}

const asObject = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

/** The first layer (township, then county) whose value passes the key's schema; otherwise the default. */
function pick<T>(schema: z.ZodType<T>, township: unknown, county: unknown, fallback: T): [T, SettingSource] {
  // An unset key is not parsed: a failed safeParse builds its issues, and most keys are unset on every read.
  const own = township === undefined ? undefined : schema.safeParse(township);
  if (own?.success) return [own.data, 'township'];
  const inherited = county === undefined ? undefined : schema.safeParse(county);
  if (inherited?.success) return [inherited.data, 'county'];
  return [fallback, 'default'];
}

/** Township over county over default, key by key; a malformed value counts as not set. */
export function resolveSettings(countyRow: unknown, townshipRow: unknown): ResolvedSettings {
  const c = asObject(countyRow);
  const t = asObject(townshipRow);
  const values: Record<string, unknown> = {};
  const sources: Record<string, unknown> = {};
  for (const key of Object.keys(plain) as PlainKey[]) {
    const [value, source] = pick(plain[key] as z.ZodType<unknown>, t[key], c[key], DEFAULT_SETTINGS[key]);
    values[key] = value;
    sources[key] = source;
  }
  for (const key of Object.keys(grouped) as GroupedKey[]) {
    const { items, schema } = grouped[key];
    const tc = asObject(c[key]);
    const tt = asObject(t[key]);
    const defaults = DEFAULT_SETTINGS[key] as Record<string, unknown>;
    const v: Record<string, unknown> = {};
    const s: Record<string, SettingSource> = {};
    for (const item of items) [v[item], s[item]] = pick(schema as z.ZodType<unknown>, tt[item], tc[item], defaults[item]);
    values[key] = v;
    sources[key] = s;
  }
  return { values: values as unknown as Settings, sources: sources as SettingSources };
}

/** What the readers use: the township's effective settings (the county row alone for county-wide defaults). */
export function effectiveSettings(countyRow: unknown, townshipRow: unknown): Settings {
  return resolveSettings(countyRow, townshipRow).values;
}

// ---------------------------------------------------------------- what an organization itself sets

const nullable = <T extends z.ZodType>(s: T) => s.nullable().optional();

/**
 * One organization's own choices (PUT replaces them all): a key left out or null is not set there,
 * so the township follows the county's default (and the county the built-in one).
 */
export const ownSettings = z
  .object({
    birthdayWindow: nullable(plain.birthdayWindow),
    receiptDueDays: nullable(plain.receiptDueDays),
    partyDayOfMonth: nullable(plain.partyDayOfMonth),
    orglifeDueSoonDays: nullable(plain.orglifeDueSoonDays),
    lectureQuotaPerYear: nullable(plain.lectureQuotaPerYear),
    birthdayReminderTemplateId: nullable(plain.birthdayReminderTemplateId),
    transferProgressTemplateId: nullable(plain.transferProgressTemplateId),
    transferValidityDays: nullable(z.object(Object.fromEntries(transferScopes.map((s) => [s, nullable(validityDays)])) as Record<TransferScope, z.ZodOptional<z.ZodNullable<typeof validityDays>>>).strict()),
    orglifeFrequencies: nullable(z.object(Object.fromEntries(dueKinds.map((k) => [k, nullable(frequency)])) as Record<DueKind, z.ZodOptional<z.ZodNullable<typeof frequency>>>).strict()),
  })
  .strict();
export type OwnSettings = z.infer<typeof ownSettings>;

/** The stored form of `own`: nulls and empty groups dropped. Keys this module does not know are kept as they were. */
export function storedSettings(previous: unknown, own: OwnSettings): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(asObject(previous))) if (!(SETTING_KEYS as readonly string[]).includes(k)) out[k] = v;
  for (const [k, v] of Object.entries(own)) {
    if (v == null) continue;
    if (typeof v === 'object') {
      const items = Object.fromEntries(Object.entries(v).filter(([, x]) => x != null));
      if (Object.keys(items).length > 0) out[k] = items;
    } else out[k] = v;
  }
  return out;
}

/** The valid own choices found in a stored row (what the page shows as "本镇设置"). */
export function ownSettingsOf(row: unknown): OwnSettings {
  const { sources, values } = resolveSettings(undefined, row);
  const own: Record<string, unknown> = {};
  for (const key of Object.keys(plain) as PlainKey[]) if (sources[key] === 'township') own[key] = values[key];
  for (const key of Object.keys(grouped) as GroupedKey[]) {
    const items = Object.entries(sources[key]).filter(([, s]) => s === 'township');
    if (items.length) own[key] = Object.fromEntries(items.map(([i]) => [i, (values[key] as Record<string, unknown>)[i]]));
  }
  return own as OwnSettings;
}

// ---------------------------------------------------------------- contracts

const source = z.enum(settingSources);
const settingsView = z.object({
  birthdayWindow: plain.birthdayWindow,
  receiptDueDays: z.number().int().nullable(),
  partyDayOfMonth: z.number().int(),
  orglifeDueSoonDays: z.number().int(),
  lectureQuotaPerYear: z.number().int(),
  birthdayReminderTemplateId: z.string().nullable(),
  transferProgressTemplateId: z.string().nullable(),
  transferValidityDays: z.record(z.enum(transferScopes), z.number().int()),
  orglifeFrequencies: z.record(z.enum(dueKinds), frequency),
});

export const settingsResponse = z.object({
  /** Whose settings these are: a township's, or the county-wide defaults. */
  level: z.enum(['township', 'county']),
  organizationId: z.number().int(),
  organizationName: z.string(),
  /** What applies now. */
  effective: settingsView,
  /** Per key (per item for the grouped ones): built-in default, county default, or the township's own. */
  sources: z.object({
    ...Object.fromEntries(Object.keys(plain).map((k) => [k, source])),
    transferValidityDays: z.record(z.enum(transferScopes), source),
    orglifeFrequencies: z.record(z.enum(dueKinds), source),
  }) as unknown as z.ZodType<SettingSources>,
  /** What this organization itself set (the form's starting values). */
  own: ownSettings,
  /** What applies without this organization's own choices (the county's defaults, or the built-in ones). */
  inherited: settingsView,
});
export type SettingsResponse = z.infer<typeof settingsResponse>;

export const getTownshipSettings = endpoint({
  method: 'GET',
  path: '/api/settings',
  summary: '本镇设置（党委工作人员；县委组织部用 ?townshipId= 查看某乡镇）',
  access: 'staff',
  // Each township's staff read their own township's; county staff name one of theirs.
  ownership: 'none',
  query: z.object({ townshipId: urlId.optional() }),
  response: settingsResponse,
  idempotent: true,
});

export const putTownshipSettings = endpoint({
  method: 'PUT',
  path: '/api/settings',
  summary: '保存本镇设置（党委工作人员；未填的项沿用县级默认；需 Idempotency-Key）',
  access: 'staff',
  ownership: 'township',
  idempotencyKey: 'required',
  body: ownSettings,
  response: settingsResponse,
  idempotent: true,
});

export const getCountySettings = endpoint({
  method: 'GET',
  path: '/api/county/settings',
  summary: '县级默认设置（县委组织部）',
  access: 'county',
  ownership: 'none',
  response: settingsResponse,
  idempotent: true,
});

export const putCountySettings = endpoint({
  method: 'PUT',
  path: '/api/county/settings',
  summary: '保存县级默认设置（县委组织部；各乡镇未自行设置的项沿用；需 Idempotency-Key）',
  access: 'county',
  ownership: 'none',
  idempotencyKey: 'required',
  body: ownSettings,
  response: settingsResponse,
  idempotent: true,
});
