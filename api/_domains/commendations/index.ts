/**
 * Commendations (两优一先): records, campaigns with quotas, yearly targets, the
 * honor roll and the Excel export. Only committee staff write; every write is
 * audited in its own transaction.
 */
export { listCommendations } from './read.js';
export { createCommendation, updateCommendation, deleteCommendation } from './write.js';
export { listCampaigns, createCampaign } from './campaigns.js';
export { COUNTED_SUBJECTS, loadTargets, getTargets, putTargets } from './targets.js';
export { honorRoll, exportCommendations, listCandidates } from './roll.js';
