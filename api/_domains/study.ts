/**
 * Daily one-hour study: timed sessions, self-reports (and 代录), collective
 * study events with QR sign-in, and the oversight views.
 *
 * Every credited minute is written to `study_entries` and rolled into
 * `study_days` by the same statement. The hot write (a check-in) is ONE
 * statement: idempotency replay, the daily self-report cap (decided under the
 * study_days row lock, so concurrent check-ins cannot both pass it), the entry
 * and the audit row of a 代录 are all CTEs of one INSERT.
 */
export { startSession, confirmPresence, finishSession } from './study/timer.js';
export { checkIn, myStudy } from './study/checkin.js';
export { createEvent, listEvents, eventQr, signIn, tickAttendees } from './study/events.js';
export { signEventToken } from './study/qr-token.js';
export { branchWeekQuery, organizationWeek, summaryStatsQuery, summary } from './study/oversight.js';
