/**
 * 政治生日: the anniversary of 入党日期 (the day the branch meeting admitted the
 * member as 预备党员), never of 转正. Pure date rules and the endpoint contracts,
 * shared by the API and the mini-program. Every date is an Asia/Shanghai day.
 */
export * from './birthdays/rules.js';
export * from './birthdays/contracts.js';
