/**
 * 组织关系转接: the three kinds of transfer, their state machine as plain data,
 * the letter's rules (number, validity in capital numerals, expiry, 回执 due),
 * and the API contracts. Pure: imported by the server (which enforces it) and
 * by the mini-program (which shows only the buttons the caller may press).
 */
export * from './transfers/machine.js';
export * from './transfers/letters.js';
export * from './transfers/contracts.js';
export * from './transfers/ledger-contracts.js';
export * from './transfers/progress-reminder.js';
export * from './transfers/destinations.js';
export * from './transfers/snapshot.js';
