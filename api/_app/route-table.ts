/**
 * The shape of the route table: one handler for every contract the `shared/`
 * modules export, keyed like the contracts. A contract without a handler (or a
 * handler bound to another contract) does not compile.
 */
import type * as auth from '../../shared/auth.js';
import type * as birthdays from '../../shared/birthdays.js';
import type * as commendations from '../../shared/commendations.js';
import type * as county from '../../shared/county.js';
import type * as dashboard from '../../shared/dashboard.js';
import type * as development from '../../shared/development.js';
import type * as feedback from '../../shared/feedback.js';
import type { Endpoint } from '../../shared/http.js';
import type * as medals from '../../shared/medals.js';
import type * as messages from '../../shared/messages.js';
import type * as members from '../../shared/members.js';
import type * as onboarding from '../../shared/onboarding.js';
import type * as orglife from '../../shared/orglife.js';
import type * as privacy from '../../shared/privacy.js';
import type * as registrations from '../../shared/registrations.js';
import type * as settings from '../../shared/settings.js';
import type * as studyTimer from '../../shared/study-timer.js';
import type * as study from '../../shared/study.js';
import type * as system from '../../shared/system.js';
import type * as transfers from '../../shared/transfers.js';
import type { RouteDef } from './context.js';

/** The contracts (`endpoint()` values) a module exports. */
type ContractsOf<M> = { [K in keyof M as M[K] extends Endpoint ? K : never]: M[K] };

/** Every contract of the API, by domain. A new contract module is added here. */
export interface Contracts {
  system: ContractsOf<typeof system>;
  auth: ContractsOf<typeof auth>;
  members: ContractsOf<typeof members>;
  registrations: ContractsOf<typeof registrations>;
  commendations: ContractsOf<typeof commendations>;
  dashboard: ContractsOf<typeof dashboard>;
  county: ContractsOf<typeof county>;
  birthdays: ContractsOf<typeof birthdays>;
  medals: ContractsOf<typeof medals>;
  transfers: ContractsOf<typeof transfers>;
  study: ContractsOf<typeof study & typeof studyTimer>;
  development: ContractsOf<typeof development>;
  orglife: ContractsOf<typeof orglife>;
  feedback: ContractsOf<typeof feedback>;
  messages: ContractsOf<typeof messages>;
  settings: ContractsOf<typeof settings>;
  privacy: ContractsOf<typeof privacy>;
  onboarding: ContractsOf<typeof onboarding>;
}

export type RouteTable = { [D in keyof Contracts]: { [K in keyof Contracts[D]]: RouteDef<Extract<Contracts[D][K], Endpoint>> } };

/** The table as the list the dispatcher compiles, in declaration order. */
export function routeList(table: RouteTable): readonly RouteDef[] {
  return Object.values(table).flatMap((domain) => Object.values(domain as Record<string, RouteDef>));
}
