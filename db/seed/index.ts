/**
 * Seeds the demo township once (an empty database only). Feature domains add
 * their own history (study, birthdays, transfers, commendations) through `domainSeeds`.
 */
import { count } from 'drizzle-orm';
import type { Db } from '../client.js';
import type { PiiKeys } from '../pii.js';
import { organizations } from '../schema/index.js';
import { seedBirthdays } from './birthdays.js';
import { seedCommendations } from './commendations.js';
import { seedDevelopment } from './development.js';
import { seedCore, type SeededCore } from './core.js';
import { seedCounty } from './county.js';
import { seedMemberRegistrations } from './members.js';
import { seedOrglife } from './orglife.js';
import { seedOrglifeDuty } from './orglife-duty.js';
import { createRandom, type Random } from './random.js';
import { seedStudy } from './study.js';
import { seedTransfers } from './transfers.js';

export interface SeedContext {
  db: Db;
  keys: PiiKeys;
  now: Date;
  random: Random;
  core: SeededCore;
}

export type DomainSeed = (ctx: SeedContext) => Promise<void>;

/** Each feature domain appends its seed here (organizational life last: it draws nothing from `random`). */
export const domainSeeds: DomainSeed[] = [seedBirthdays, seedCommendations, seedStudy, seedTransfers, seedMemberRegistrations, seedDevelopment, seedOrglife, seedOrglifeDuty];

export async function seedDemoIfEmpty(db: Db, keys: PiiKeys, now: Date): Promise<boolean> {
  const [row] = await db.select({ n: count() }).from(organizations);
  if ((row?.n ?? 0) > 0) return false;
  const random = createRandom(20_231_001);
  const core = await seedCore(db, keys, now, random);
  for (const seed of domainSeeds) await seed({ db, keys, now, random, core });
  // Last, from its own random stream: the county and its second township leave township A's data as it was.
  await seedCounty(db, keys, now);
  return true;
}
