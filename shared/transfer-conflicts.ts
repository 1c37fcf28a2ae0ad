/**
 * What a 转入 registration collides with, shown to township staff only.
 *
 * A branch secretary's registration is accepted whatever the ID number belongs
 * to outside their own branch (their answer must not tell whether the number is
 * a member elsewhere in the township, or already being transferred): the
 * collision is shown to staff on the transfer and refuses 党委审批 instead.
 */
import { z } from 'zod';

export const transferConflicts = [
  /** Someone with this ID number is an active member of the township. */
  'on_roster',
  /** Another open 转入 registration carries the same ID number. */
  'open_transfer',
] as const;
export type TransferConflict = (typeof transferConflicts)[number];

export const TRANSFER_CONFLICT_LABELS: Record<TransferConflict, string> = {
  on_roster: '该身份证号的党员已在本镇在册',
  open_transfer: '该身份证号另有一项未办结的转入登记',
};

/** On a transfer's detail: present for township staff on 转入 (empty when none, or once closed); absent for everyone else. */
export const transferConflictsField = z.array(z.enum(transferConflicts)).optional();
