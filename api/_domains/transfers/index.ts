/**
 * 组织关系转接: filing, the two-level approval, letters with gapless per-year
 * numbers, 回执, 报到, the timeline and the ledger.
 *
 * Every step is one conditional UPDATE on (id, state, version) plus an appended
 * timeline row and an audit row, in one transaction: a stale screen or a second
 * approver gets 409 and nothing changes. The state machine itself lives in
 * shared/transfers.ts and is only enforced here.
 */
export { createTransfer } from './filing.js';
export { reviewTransfer, rejectTransfer, withdrawTransfer, approveTransfer, recordReceipt, recordReport } from './steps.js';
export { receiveTransfer } from './cross-township.js';
export { getTransfer, listTransfers, getLetter, printLetter, exportLedger } from './reads.js';
export { transferReminderTemplate, subscribeTransferProgress } from './progress-reminder.js';
