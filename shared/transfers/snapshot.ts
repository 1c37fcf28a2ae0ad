/**
 * What a transfer keeps of the member it moves, as they stood when it was filed: later roster edits never
 * rewrite a filed transfer or its letter. Every path that files one (the form in api/_domains/transfers/filing.ts,
 * the demo seed) copies the member through `memberSnapshot`, so they copy the same fields. Pure.
 */
import type { Gender, MemberCategory } from '../common.js';

/** The roster row a transfer is filed from (db/schema/transfers.ts `transferringMember` selects it). */
export interface TransferringMember {
  id: number;
  name: string;
  gender: Gender;
  ethnicity: string;
  category: MemberCategory;
  idMasked: string;
  organizationId: number;
  organizationName: string;
}

export function memberSnapshot(m: TransferringMember) {
  return {
    memberId: m.id,
    memberName: m.name,
    gender: m.gender,
    ethnicity: m.ethnicity,
    category: m.category,
    idMasked: m.idMasked,
    fromOrganizationId: m.organizationId,
    fromOrganizationName: m.organizationName,
  };
}
