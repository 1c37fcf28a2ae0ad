/** The honor roll, the export and picking whom to commend. */
import { z } from 'zod';
import { isoDate, text, urlId } from '../common.js';
import { endpoint } from '../http.js';
import { commendationCategory, commendationLevel, commendationYear } from './records.js';

// --- Honor roll and export ---------------------------------------------------

/** What everyone signed in may see: names and the honor, nothing personal. */
export const honorRollEntry = z.object({
  id: z.number().int(),
  category: commendationCategory,
  subject: z.enum(['member', 'organization']),
  subjectName: z.string(),
  organizationName: z.string(),
  level: commendationLevel,
  title: z.string(),
  awardedOn: isoDate,
  issuedBy: z.string(),
  citation: z.string(),
  campaignName: z.string().nullable(),
});
export type HonorRollEntry = z.infer<typeof honorRollEntry>;

export const honorRoll = endpoint({
  method: 'GET',
  path: '/api/honor-roll',
  summary: '光荣榜（本年度表彰，最新在前）',
  access: 'authenticated',
  query: z.object({ year: commendationYear.optional() }),
  response: z.object({ year: z.number().int(), entries: z.array(honorRollEntry) }),
  idempotent: true,
});

export const exportCommendations = endpoint({
  method: 'GET',
  path: '/api/commendations/export',
  summary: '导出年度表彰名单（Excel）',
  access: 'staff',
  query: z.object({ year: commendationYear }),
  response: null,
  idempotent: true,
});

// --- Picking whom to commend -------------------------------------------------------

/** Just enough to pick the right person: name, branch, category. */
export const candidate = z.object({
  memberId: z.number().int(),
  name: z.string(),
  organizationId: z.number().int(),
  organizationName: z.string(),
  category: z.string(),
});
export type Candidate = z.infer<typeof candidate>;

export const listCandidates = endpoint({
  method: 'GET',
  path: '/api/commendations/candidates',
  summary: '可表彰的在册党员（按姓名查找；党委工作人员）',
  access: 'staff',
  query: z.object({
    q: text(20, '姓名').optional(),
    organizationId: urlId.optional(),
  }),
  response: z.object({ candidates: z.array(candidate) }),
  idempotent: true,
});
