/**
 * A valid request for every route in the route table, built on fresh state
 * (a new member, a transfer at the wanted step, an event happening now), for
 * the authorization matrix and the fuzz tests. Setup writes go through the API
 * where one exists, and straight to the tables only to create members.
 */
export { ACTORS, expectedOutcome, type Actor, type Outcome } from './actors.js';
export type { Fixture, Prepared, Request } from './fixture.js';
export { rawContentType, requestOptions } from './fixture.js';
export { buildWorld, type Person, type World } from './world.js';
export { committeeMeetingBody } from './orglife.js';
import type { Fixture } from './fixture.js';
import { SYSTEM_FIXTURES } from './system.js';
import { MEMBER_FIXTURES } from './members.js';
import { REGISTRATION_FIXTURES } from './registrations.js';
import { COMMENDATION_FIXTURES } from './commendations.js';
import { BIRTHDAY_FIXTURES } from './birthdays.js';
import { TRANSFER_FIXTURES } from './transfers.js';
import { STUDY_FIXTURES } from './study.js';
import { DEVELOPMENT_FIXTURES } from './development.js';
import { ORGLIFE_FIXTURES } from './orglife.js';
import { FEEDBACK_FIXTURES } from './feedback.js';
import { MESSAGE_FIXTURES } from './messages.js';
import { ONBOARDING_FIXTURES } from './onboarding.js';

/** One fixture per route (`METHOD /path`), each domain's in its own file. */
export const FIXTURES: Record<string, Fixture> = {
  ...SYSTEM_FIXTURES,
  ...MEMBER_FIXTURES,
  ...REGISTRATION_FIXTURES,
  ...COMMENDATION_FIXTURES,
  ...BIRTHDAY_FIXTURES,
  ...TRANSFER_FIXTURES,
  ...STUDY_FIXTURES,
  ...DEVELOPMENT_FIXTURES,
  ...ORGLIFE_FIXTURES,
  ...FEEDBACK_FIXTURES,
  ...MESSAGE_FIXTURES,
  ...ONBOARDING_FIXTURES,
};
