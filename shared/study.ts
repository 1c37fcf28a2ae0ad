/**
 * Daily one-hour study (每天学习1小时): the rules and the API contract.
 *
 * A study day is an Asia/Shanghai calendar day. Minutes come from three sources,
 * and the server decides every number:
 * - timed self-study: minutes the member was there, by the server's own
 *   clock (presence confirmed by the open page, split at midnight), at most
 *   SESSION_CAP_MINUTES per session: shared/study-timer.ts;
 * - self-reported entries (and 代录 by a secretary): at most
 *   SELF_REPORT_DAILY_CAP_MINUTES per member per day, all such entries together;
 * - collective study events: each attendee (QR sign-in or ticked by the
 *   secretary) is credited the event's duration once.
 */
export * from './study/rules.js';
export * from './study/member.js';
export * from './study/events.js';
export * from './study/oversight.js';
