/** Filters of the roster list and of its export (a leaf module: members.ts and members-excel.ts both use it). */
import { z } from 'zod';
import { memberCategory, memberStatuses, text, urlInt } from './common.js';

export const emptyToUndefined = (v: unknown) => (v === '' || v === null ? undefined : v);
const optionalQueryInt = (min: number, max: number) =>
  z.preprocess(emptyToUndefined, urlInt(min, max, '数值').optional());

/** Filters of the roster list and of the export. */
export const rosterFilterShape = {
  /** Name (part of it) or the last digits of the phone number. */
  q: z.preprocess(emptyToUndefined, text(20, '搜索内容').optional()),
  organizationId: optionalQueryInt(1, 2_147_483_647),
  category: z.preprocess(emptyToUndefined, memberCategory.optional()),
  status: z.preprocess(emptyToUndefined, z.enum(memberStatuses).optional()),
  standingMin: optionalQueryInt(0, 100),
  standingMax: optionalQueryInt(0, 100),
  /** Only 预备党员 whose 预备期 is long overdue. */
  overdue: z.preprocess(emptyToUndefined, z.enum(['1', 'true']).optional()),
};

export const rosterFilter = z.object(rosterFilterShape);
export type RosterFilter = z.output<typeof rosterFilter>;
