/**
 * 乡镇开通 (issue 17.2): the rules of invitation codes, in one place for the
 * server, the CLI and the mini-program. A code is what a person types, so it
 * uses only characters that cannot be mistaken for one another (no 0/O, 1/I/L),
 * and is read back forgiving of case, spaces and dashes.
 */
import { BRANCH_KIND, COUNTY_KIND, TOWNSHIP_KIND, type OrganizationKind, type Role } from '../common.js';

export const INVITATION_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
/** 10 characters of 31: about 8×10^14 codes, against a redeem limit of a few tries per account and address. */
export const INVITATION_CODE_LENGTH = 10;
export const INVITATION_VALID_DAYS = 7;
/** What a scanned QR holds: a prefix, so the 扫码 button can tell an invitation from another QR. */
export const INVITATION_QR_PREFIX = 'DJYQ:';

/** Redeem tries per account in a window (the default of REDEEM_RATE_LIMIT); per address the login limit applies too. */
export const REDEEM_LIMIT = 10;
export const REDEEM_WINDOW_SECONDS = 600;

/** The roles an invitation can give, each with the kind of organization it binds to. */
export const invitationRoles = ['staff', 'secretary', 'county'] as const satisfies readonly Role[];
export type InvitationRole = (typeof invitationRoles)[number];
export const INVITATION_ROLE_LABELS: Record<InvitationRole, string> = {
  staff: '乡镇党委工作人员',
  secretary: '支部书记',
  county: '县委组织部工作人员',
};
export const INVITATION_ROLE_KIND: Record<InvitationRole, OrganizationKind> = {
  staff: TOWNSHIP_KIND,
  secretary: BRANCH_KIND,
  county: COUNTY_KIND,
};

export const invitationStates = ['unused', 'used', 'expired', 'revoked'] as const;
export type InvitationState = (typeof invitationStates)[number];
export const INVITATION_STATE_LABELS: Record<InvitationState, string> = {
  unused: '未使用',
  used: '已使用',
  expired: '已过期',
  revoked: '已撤销',
};

/** What a person is told when a code does not work (one sentence each, what to do next included). */
export const REDEEM_REFUSALS: Record<Exclude<InvitationState, 'unused'> | 'unknown' | 'officer' | 'other_member' | 'member_taken', string> = {
  unknown: '邀请码不正确，请核对后重新输入',
  used: '这个邀请码已经使用过了，每个邀请码只能用一次，请向发放单位索取新的邀请码',
  expired: '这个邀请码已过期，请向发放单位索取新的邀请码',
  revoked: '这个邀请码已被撤销，请向发放单位索取新的邀请码',
  officer: '您的账号已有管理职务，不能再使用邀请码；如需调整，请联系县委组织部',
  other_member: '这个邀请码是发给花名册中另一位党员的，请由本人用自己的微信登录后使用',
  member_taken: '邀请码对应的党员已由另一个微信账号登记使用，请联系发放单位核实',
};

/** The state of an invitation at `now`: revoked and used are final; an unused one expires. */
export function invitationState(inv: { usedAt: Date | null; revokedAt: Date | null; expiresAt: Date }, now: Date): InvitationState {
  if (inv.revokedAt) return 'revoked';
  if (inv.usedAt) return 'used';
  return inv.expiresAt.getTime() <= now.getTime() ? 'expired' : 'unused';
}

/** A typed or scanned code as stored (hashed): the QR prefix, spaces and dashes dropped, upper case. */
export function normalizeInvitationCode(input: string): string {
  const raw = input.trim().toUpperCase();
  const body = raw.startsWith(INVITATION_QR_PREFIX) ? raw.slice(INVITATION_QR_PREFIX.length) : raw;
  return body.replace(/[\s\-_.·]/g, '');
}

export function isInvitationCodeShape(code: string): boolean {
  return code.length === INVITATION_CODE_LENGTH && [...code].every((c) => INVITATION_ALPHABET.includes(c));
}

/** `ABCDE-FGHJK`: two groups of five, easier to read aloud and to type. */
export function formatInvitationCode(code: string): string {
  return `${code.slice(0, 5)}-${code.slice(5)}`;
}
