/**
 * 乡镇开通 without SQL (issue 17.2): townships and branches created by the county,
 * one-time invitation codes that bind a WeChat account to a role and organization.
 */
export * from './onboarding/rules.js';
export * from './onboarding/contracts.js';
