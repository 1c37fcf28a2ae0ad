/**
 * 乡镇开通 routes: county staff create townships and their branches and invite
 * each township's staff; township staff invite their branches' secretaries (and
 * more staff); whoever signs in redeems a code once.
 */
import { z } from 'zod';
import { bodyId, codeEnum, idParam, text } from '../common.js';
import { endpoint } from '../http.js';
import { loginResponse } from '../auth.js';
import { INVITATION_ROLE_LABELS, INVITATION_STATE_LABELS, invitationRoles, invitationStates } from './rules.js';

/** An organization's name as typed: no slashes (they would read as a path), bounded, not empty. */
export const organizationName = text(40, '名称').pipe(
  z
    .string()
    .min(2, '名称至少2个字')
    .refine((v) => !/[/\\\n\r\t]/.test(v), { message: '名称不能含有斜杠或换行' }),
);

export const MAX_BRANCHES_AT_ONCE = 200;

const branchItem = z.object({ id: z.number().int(), name: z.string() });

export const township = z.object({
  id: z.number().int(),
  name: z.string(),
  branches: z.array(branchItem),
  /** Accounts bound to it: its staff, and its branches' secretaries. */
  staffCount: z.number().int(),
  secretaryCount: z.number().int(),
});
export type Township = z.infer<typeof township>;

export const listTownships = endpoint({
  method: 'GET',
  path: '/api/county/townships',
  summary: '本县的乡镇党委及其支部（县委组织部）',
  access: 'county',
  ownership: 'none',
  response: z.object({ townships: z.array(township) }),
  idempotent: true,
});

export const createTownship = endpoint({
  method: 'POST',
  path: '/api/county/townships',
  summary: '新建乡镇党委（县委组织部；同一县内名称不能重复）',
  access: 'county',
  ownership: 'none',
  idempotencyKey: 'required',
  body: z.object({ name: organizationName }).strict(),
  response: z.object({ township }),
  idempotent: true,
});

export const addBranches = endpoint({
  method: 'POST',
  path: '/api/county/townships/:id/branches',
  summary: '为乡镇党委添加支部（一次可粘贴多行；已有的同名支部跳过，不重复建）',
  access: 'county',
  ownership: 'none',
  idempotencyKey: 'required',
  params: idParam,
  body: z
    .object({
      names: z
        .array(organizationName)
        .min(1, '请至少填写一个支部名称')
        .max(MAX_BRANCHES_AT_ONCE, `一次最多添加${MAX_BRANCHES_AT_ONCE}个支部`),
    })
    .strict(),
  response: z.object({ township, created: z.array(z.string()), existing: z.array(z.string()) }),
  idempotent: true,
});

export const invitation = z.object({
  id: z.number().int(),
  role: codeEnum(invitationRoles, INVITATION_ROLE_LABELS),
  organizationId: z.number().int(),
  organizationName: z.string(),
  /** The roster entry the invitation is for (its name only), when the inviter named one. */
  memberName: z.string().nullable(),
  /** The township the organization is in (null for a county invitation). */
  townshipName: z.string().nullable(),
  state: codeEnum(invitationStates, INVITATION_STATE_LABELS),
  createdAt: z.string(),
  createdByName: z.string().nullable(),
  expiresAt: z.string(),
  usedAt: z.string().nullable(),
  usedByName: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
export type Invitation = z.infer<typeof invitation>;

/** The plain code is in this answer only: it is stored hashed, and shown once. */
export const issuedInvitation = z.object({
  invitation,
  code: z.string(),
  /** data:image/png;base64,… of the QR (the code with its prefix). */
  qrImage: z.string(),
});

export const inviteTownshipStaff = endpoint({
  method: 'POST',
  path: '/api/county/invitations',
  summary: '生成乡镇党委工作人员（或县委组织部工作人员）的一次性邀请码（县委组织部；7天内有效）',
  access: 'county',
  ownership: 'none',
  idempotencyKey: 'required',
  body: z
    .object({
      /** A township of the county for its staff; the county itself for another 县委组织部 account. */
      organizationId: bodyId,
      role: z.enum(['staff', 'county'], { message: '请选择邀请的职务' }).default('staff'),
    })
    .strict(),
  response: issuedInvitation,
  idempotent: true,
});

export const revokeCountyInvitation = endpoint({
  method: 'POST',
  path: '/api/county/invitations/:id/revoke',
  summary: '撤销本县的一个未使用的邀请码（县委组织部）',
  access: 'county',
  ownership: 'none',
  idempotencyKey: 'required',
  params: idParam,
  body: z.object({}).strict(),
  response: z.object({ invitation }),
  idempotent: true,
});

export const invite = endpoint({
  method: 'POST',
  path: '/api/invitations',
  summary: '生成本镇支部书记（或党委工作人员）的一次性邀请码（乡镇党委工作人员；7天内有效）',
  access: 'staff',
  ownership: 'township',
  idempotencyKey: 'required',
  body: z
    .object({
      role: z.enum(['secretary', 'staff'], { message: '请选择邀请的职务' }),
      /** A branch of the caller's township for a secretary; the township itself for staff. */
      organizationId: bodyId,
      /** The invited person's own roster entry, if they are a member in that organization: redeeming links it. */
      memberId: bodyId.optional(),
    })
    .strict(),
  response: issuedInvitation,
  idempotent: true,
});

export const listInvitations = endpoint({
  method: 'GET',
  path: '/api/invitations',
  summary: '邀请码列表：乡镇党委工作人员看本镇的，县委组织部看全县的；最新的在前',
  access: 'staff',
  ownership: 'none',
  response: z.object({ invitations: z.array(invitation) }),
  idempotent: true,
});

export const revokeInvitation = endpoint({
  method: 'POST',
  path: '/api/invitations/:id/revoke',
  summary: '撤销本镇的一个未使用的邀请码（乡镇党委工作人员）',
  access: 'staff',
  ownership: 'township',
  idempotencyKey: 'required',
  params: idParam,
  body: z.object({}).strict(),
  response: z.object({ invitation }),
  idempotent: true,
});

export const redeemInvitation = endpoint({
  method: 'POST',
  path: '/api/invitations/redeem',
  summary: '使用邀请码：本账号获得邀请的职务和组织（每个邀请码只能用一次），返回新的会话',
  access: 'authenticated',
  ownership: 'self',
  body: z.object({ code: z.string().trim().min(1, '请输入邀请码').max(64, '邀请码不正确，请核对后重新输入') }).strict(),
  response: loginResponse,
});
