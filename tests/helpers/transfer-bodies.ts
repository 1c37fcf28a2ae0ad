/**
 * The 转出 / 转入 requests the API suites file, written once. The two 转出 bodies are two destinations, not one
 * copied: the transfers suites' ledger assertions read `outBody`'s 郑州 names and phone, the export's masked phone
 * (138****5678) is `sameCountyOutBody`'s.
 */

/** 转出 to a street committee in another county of the province (the transfers suites' application). */
export const outBody = {
  kind: 'out',
  toOrganizationName: '郑州市金水区文化路街道党工委',
  letterAddressee: '中共郑州市金水区文化路街道工作委员会',
  scope: 'in_province',
  reason: 'job',
  duesPaidThrough: '2026-06',
  contactPhone: '13800138000',
} as const;

/** 转出 as the route fixtures, the message centre, the export and the race suites file it; `memberId` when filed on a member's behalf. */
export const sameCountyOutBody = (memberId?: number) => ({
  ...outBody,
  ...(memberId ? { memberId } : {}),
  toOrganizationName: '中共某县某街道工作委员会',
  letterAddressee: '中共某县某街道工作委员会',
  duesPaidThrough: '2026-05',
  contactPhone: '13812345678',
});

/**
 * 转入 of 张建国 from 北京 into `toOrganizationId`, registered by a secretary who confirms the member agreed to the
 * privacy guide (their ID number is typed by someone else). `letter` tells apart the registrations of one suite.
 */
export const incomingBody = (idNumber: string, toOrganizationId: number, letter: { number: string; contactPhone: string }) => ({
  kind: 'in',
  memberConsent: true,
  name: '张建国',
  gender: 'male',
  ethnicity: '汉族',
  idNumber,
  category: 'full',
  joinedAt: '2010-07-01',
  confirmedAt: '2011-07-01',
  toOrganizationId,
  fromOrganizationName: '北京市东城区东华门街道党工委',
  incomingLetterNumber: letter.number,
  scope: 'out_of_province',
  reason: 'relocation',
  duesPaidThrough: '2026-05',
  contactPhone: letter.contactPhone,
});
