/** The registration form's draft: empty, from a rejected registration, as the API's input, and its checks. */
import { shanghaiDate } from '@shared/calendar'
import { checkMemberRecord, type MemberFieldKey } from '@shared/members'
import type { ApplicantRegistration as Registration } from '@shared/registrations'
import { PROBATIONARY_MEMBER } from '@shared/common'

export interface Draft {
  name: string
  gender: string
  ethnicity: string
  birthDate: string
  idNumber: string
  phone: string
  organizationId: number | null
  category: string
  joinedAt: string
  confirmedAt: string
}

export const EMPTY: Draft = {
  name: '',
  gender: '',
  ethnicity: '汉族',
  birthDate: '',
  idNumber: '',
  phone: '',
  organizationId: null,
  category: '',
  joinedAt: '',
  confirmedAt: '',
}

const today = () => shanghaiDate(new Date())

export function toInput(d: Draft): Record<string, unknown> {
  return {
    ...d,
    organizationId: d.organizationId ?? 0,
    confirmedAt: d.category === PROBATIONARY_MEMBER ? null : d.confirmedAt || null,
  }
}

export function validate(d: Draft): Partial<Record<MemberFieldKey, string>> {
  const result = checkMemberRecord(toInput(d), today())
  const errors: Partial<Record<MemberFieldKey, string>> = {}
  for (const issue of result.issues) {
    const field = issue.path[0] as MemberFieldKey
    if (!errors[field]) errors[field] = field === 'organizationId' ? '请选择所在支部' : issue.message
  }
  return errors
}

export function draftFrom(r: Registration): Draft {
  // The ID number is never sent back whole: the applicant types it again.
  return {
    name: r.name,
    gender: r.gender,
    ethnicity: r.ethnicity,
    birthDate: r.birthDate,
    idNumber: '',
    phone: '',
    organizationId: r.organizationId,
    category: r.category,
    joinedAt: r.joinedAt,
    confirmedAt: r.confirmedAt ?? '',
  }
}
