/**
 * Commendations (两优一先): records, campaigns with quotas, yearly targets, the
 * honor roll and the export. Schemas and pure rules only (imported by api and miniapp).
 */
export * from './commendations/records.js';
export * from './commendations/campaigns.js';
export * from './commendations/roll.js';
