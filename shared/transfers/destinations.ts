/**
 * Where a member may move inside the county, for the filing form's pickers: the other branches of their own
 * township (镇内转接) and the branches of every other township, grouped by township (县内跨镇转接). Read from
 * the organization tree everyone signed in may list (GET /api/organizations); the server checks the choice
 * again with the scope module's rule (api/_app/scope.ts), so this is only what to offer.
 */
import { BRANCH_KIND, TOWNSHIP_KIND, type OrganizationKind } from '../common.js';

export interface TreeOrganization {
  id: number;
  parentId: number | null;
  name: string;
  kind: OrganizationKind;
}

export interface DestinationBranch {
  id: number;
  name: string;
}

export interface DestinationTownship {
  townshipId: number;
  townshipName: string;
  branches: DestinationBranch[];
}

export interface TransferDestinations {
  /** Other branches of the member's own township. */
  sameTownship: DestinationBranch[];
  /** Every other township of the county with its branches, in the tree's order (never ranked). */
  otherTownships: DestinationTownship[];
}

/** The nearest township (committee) at or above an organization in the tree; null above the townships. */
export function townshipInTree(orgs: readonly TreeOrganization[], organizationId: number): TreeOrganization | null {
  const byId = new Map(orgs.map((o) => [o.id, o]));
  const seen = new Set<number>();
  let at = byId.get(organizationId);
  while (at && !seen.has(at.id)) {
    if (at.kind === TOWNSHIP_KIND) return at;
    seen.add(at.id);
    at = at.parentId == null ? undefined : byId.get(at.parentId);
  }
  return null;
}

export function transferDestinations(orgs: readonly TreeOrganization[], fromBranchId: number | null | undefined): TransferDestinations {
  const own = fromBranchId == null ? null : townshipInTree(orgs, fromBranchId);
  const sameTownship: DestinationBranch[] = [];
  const groups = new Map<number, DestinationTownship>();
  for (const o of orgs) if (o.kind === TOWNSHIP_KIND && o.id !== own?.id) groups.set(o.id, { townshipId: o.id, townshipName: o.name, branches: [] });
  for (const o of orgs) {
    if (o.kind !== BRANCH_KIND || o.id === fromBranchId) continue;
    const township = townshipInTree(orgs, o.id);
    if (!township) continue;
    if (township.id === own?.id) sameTownship.push({ id: o.id, name: o.name });
    else groups.get(township.id)?.branches.push({ id: o.id, name: o.name });
  }
  return { sameTownship, otherTownships: [...groups.values()].filter((g) => g.branches.length > 0) };
}
