/** Demo registrations waiting for review, so the 登记审核 page has something to show. */
import { addYears, shanghaiDate } from '../../shared/calendar.js';
import { probationEndsAt } from '../../shared/member-facts.js';
import { sealIdNumber } from '../pii.js';
import { accounts, registrations } from '../schema/index.js';
import { assertSeedFacts } from './core.js';
import type { SeedContext } from './index.js';
import { makeIdNumber, makePhone } from './identity.js';

/** Uses no random draws, so the other domains' seeded data does not shift. */
export async function seedMemberRegistrations({ db, keys, now, core }: SeedContext): Promise<void> {
  const today = shanghaiDate(now);
  const applicants = [
    { name: '孙立新', gender: 'male' as const, birthDate: '1978-09-21', joinedAt: '2005-06-28', category: 'full' as const, branch: 0 },
    { name: '郑秀云', gender: 'female' as const, birthDate: '1992-03-08', joinedAt: '2018-11-15', category: 'full' as const, branch: 1 },
    // 预备期 ended long ago: shows the overdue flag to the secretary.
    { name: '冯志刚', gender: 'male' as const, birthDate: '1996-01-17', joinedAt: addYears(today, -2), category: 'probationary' as const, branch: 0 },
  ];
  for (const [i, a] of applicants.entries()) {
    const [account] = await db
      .insert(accounts)
      .values({ openid: `demo-applicant-${i + 1}`, role: 'applicant', displayName: a.name, isDemo: 1 })
      .returning({ id: accounts.id });
    if (!account) throw new Error('seed: applicant account not created');
    const idNumber = makeIdNumber(a.birthDate, a.gender, 90 + i);
    const confirmedAt = a.category === 'full' ? probationEndsAt(a.joinedAt) : null;
    assertSeedFacts(a.name, { ...a, idNumber, confirmedAt }, today);
    await db.insert(registrations).values({
      accountId: account.id,
      organizationId: core.branchIds[a.branch] as number,
      name: a.name,
      gender: a.gender,
      ethnicity: '汉族',
      birthDate: a.birthDate,
      ...sealIdNumber(idNumber, keys),
      phone: makePhone(90 + i),
      category: a.category,
      joinedAt: a.joinedAt,
      confirmedAt,
      createdAt: new Date(now.getTime() - (3 - i) * 86_400_000),
    });
  }
}
