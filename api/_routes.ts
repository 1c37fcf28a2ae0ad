/**
 * The whole API in one table. Each line binds a contract from `shared/` (method,
 * path, who may call it, request and response schemas) to its handler.
 */
import type { RouteDef } from './_app/context.js';
import * as auth from './_domains/auth.js';
import * as members from './_domains/members.js';
import * as system from './_domains/system.js';

export const routes: readonly RouteDef[] = [
  // System
  system.health,
  system.openapiRoute(() => routes),
  system.devClock,
  // Auth
  auth.wechatLogin,
  auth.devLogin,
  auth.devAccounts,
  auth.me,
  // Members and organizations
  members.listOrganizations,
] as readonly RouteDef[];
