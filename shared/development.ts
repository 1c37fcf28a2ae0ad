/**
 * 发展党员 (《中国共产党发展党员工作细则》): the date engine, the working-day
 * calendar and the API contracts.
 */
export * from './development/rules.js';
export * from './development/meeting-vote.js';
export * from './development/workdays.js';
export * from './development/contracts.js';
export * from './development/archive.js';
export * from './development/county.js';
