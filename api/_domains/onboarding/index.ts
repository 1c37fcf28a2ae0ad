/** 乡镇开通: townships and branches by the county, invitation codes, redeeming one. */
export * from './townships.js';
export * from './invitations.js';
export * from './redeem.js';
