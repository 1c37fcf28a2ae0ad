/**
 * The county's own views (issue 17.5): every township's figures side by side, in
 * the townships' fixed order (their sort order, then id: never ordered or ranked
 * by a figure), and the roster statistics the county reports upward as one file.
 *
 * Study minutes are deliberately absent: comparing townships by 学习时长 would make
 * it a basis of assessment, which 国办函〔2026〕12号 forbids.
 */
import { z } from 'zod';
import { educations, isoDate } from './common.js';
import { endpoint } from './http.js';

/** Age bands of the county's roster statistics, in whole years on the day of the report. */
export const AGE_BANDS = [
  { key: 'age35', label: '35岁及以下', min: 0, max: 35 },
  { key: 'age36to60', label: '36至60岁', min: 36, max: 60 },
  { key: 'age61', label: '61岁及以上', min: 61, max: 200 },
] as const;
export type AgeBandKey = (typeof AGE_BANDS)[number]['key'];

/** 大专及以上: the educations from 大专 up, in the roster's own list. */
export const HIGHER_EDUCATIONS: readonly string[] = educations.slice(educations.indexOf('大专'));

/** Whole years between a birth date and a day (both ISO): the age on that day. */
export function ageOn(birthDate: string, day: string): number {
  const years = Number(day.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return day.slice(5) < birthDate.slice(5) ? years - 1 : years;
}

/** The band an age falls in. */
export function ageBandOf(age: number): AgeBandKey {
  return (AGE_BANDS.find((b) => age >= b.min && age <= b.max) ?? AGE_BANDS[AGE_BANDS.length - 1]!).key;
}

const count = z.number().int();

/** Active members (在册) of a township, by the categories the county's statistics ask for. */
export const rosterBreakdown = z.object({
  members: count,
  formal: count,
  probationary: count,
  female: count,
  /** 少数民族: any ethnicity other than 汉族. */
  minority: count,
  age35: count,
  age36to60: count,
  age61: count,
  /** 大专及以上 (HIGHER_EDUCATIONS). */
  higherEducation: count,
});
export type RosterBreakdown = z.infer<typeof rosterBreakdown>;

export const townshipFigures = z.object({
  organizationId: z.number().int(),
  name: z.string(),
  branches: count,
  roster: rosterBreakdown,
  /** 入党登记 waiting for the branch. */
  registrationsPending: count,
  /** 组织关系转接 not yet completed, rejected or withdrawn, from or to the township. */
  transfersOpen: count,
  /** Commendations of the year (each person or branch once). */
  commendations: count,
  /** 投诉建议 the township handles that are not closed. */
  feedbackOpen: count,
});
export type TownshipFigures = z.infer<typeof townshipFigures>;

export const countyOverviewResponse = z.object({
  today: isoDate,
  year: z.number().int(),
  county: z.object({ organizationId: z.number().int(), name: z.string() }),
  /** Fixed order: the townships' sort order, then id. */
  townships: z.array(townshipFigures),
  /** The county's sums of the same figures. */
  total: townshipFigures.omit({ organizationId: true, name: true }),
});
export type CountyOverviewResponse = z.infer<typeof countyOverviewResponse>;

export const countyOverview = endpoint({
  method: 'GET',
  path: '/api/county/overview',
  summary: '全县各乡镇情况一览（县委组织部；按乡镇固定顺序并列）',
  access: 'county',
  ownership: 'none',
  response: countyOverviewResponse,
  idempotent: true,
});

export const exportCountyRoster = endpoint({
  method: 'GET',
  path: '/api/county/roster-statistics',
  summary: '导出全县党员统计表（Excel：各乡镇党员人数按类别、性别、民族、年龄、学历）',
  access: 'county',
  ownership: 'none',
  response: null,
  idempotent: true,
});

/** The statistics sheet's columns after 乡镇党委, in order (RosterBreakdown keys and 支部数). */
export const ROSTER_STATISTICS_COLUMNS: readonly { key: 'branches' | keyof RosterBreakdown; header: string }[] = [
  { key: 'branches', header: '支部数' },
  { key: 'members', header: '党员总数' },
  { key: 'formal', header: '正式党员' },
  { key: 'probationary', header: '预备党员' },
  { key: 'female', header: '女党员' },
  { key: 'minority', header: '少数民族党员' },
  ...AGE_BANDS.map((b) => ({ key: b.key, header: b.label })),
  { key: 'higherEducation', header: '大专及以上学历' },
];
