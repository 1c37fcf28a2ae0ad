/** Organizational life: the 党课 duty table (包村 assignments, progress against the yearly quota, 双重组织生活). */
import { z } from 'zod';
import { bodyId, idParam } from '../common.js';
import { endpoint } from '../http.js';
import { yearParam } from './contracts.js';
import { MAX_ASSIGNED_VILLAGES } from './duty.js';

const branchRef = z.object({ organizationId: z.number().int(), name: z.string() });

export const dutyLeader = z.object({
  memberId: z.number().int(),
  name: z.string(),
  /** Their own branch (双重组织生活 is their part in its meetings). */
  ownBranch: branchRef,
  villages: z.array(branchRef),
  delivered: z.number().int(),
  elsewhere: z.number().int(),
  quota: z.number().int(),
  met: z.boolean(),
  ownBranchMeetings: z.object({ expected: z.number().int(), attended: z.number().int() }),
});
export type DutyLeader = z.infer<typeof dutyLeader>;

export const lectureDutyResponse = z.object({
  year: z.number().int(),
  quota: z.number().int(),
  /** By name, in a fixed order: a duty list, never a ranking. */
  leaders: z.array(dutyLeader),
  /** The township's branches in their fixed order: what a leader may be assigned. */
  branches: z.array(branchRef),
});
export type LectureDutyResponse = z.infer<typeof lectureDutyResponse>;

export const lectureDuty = endpoint({
  method: 'GET',
  path: '/api/orglife/lecture-duty',
  summary: '党课责任表：班子成员和支部书记包村、年度党课完成情况、参加所在支部组织生活情况',
  access: 'staff',
  ownership: 'township',
  query: z.object({ year: yearParam.optional() }).strict(),
  response: lectureDutyResponse,
  idempotent: true,
});

export const putLectureDuty = endpoint({
  method: 'PUT',
  path: '/api/orglife/lecture-duty/:id',
  summary: '设置一名班子成员或支部书记所包的村（支部）；空列表即取消包村',
  access: 'staff',
  ownership: 'township',
  idempotencyKey: 'required',
  params: idParam,
  body: z.object({ branchIds: z.array(bodyId).max(MAX_ASSIGNED_VILLAGES, `一人最多包${MAX_ASSIGNED_VILLAGES}个村`) }).strict(),
  response: lectureDutyResponse,
  idempotent: true,
});

export const lectureSpeakers = endpoint({
  method: 'GET',
  path: '/api/orglife/organizations/:id/speakers',
  summary: '包本支部的班子成员和书记（记录党课时选讲课人）',
  access: 'officer',
  ownership: 'branch',
  params: idParam,
  response: z.object({ leaders: z.array(z.object({ memberId: z.number().int(), name: z.string(), organizationName: z.string() })) }),
  idempotent: true,
});

