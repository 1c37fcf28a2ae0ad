/** Every table, one module per domain. Feature modules add their file here. */
export * from './core.js';
export * from './study.js';
export * from './birthdays.js';
export * from './transfers.js';
export * from './commendations.js';
export * from './registrations.js';
export * from './medals.js';
export * from './development.js';
export * from './orglife.js';
export * from './orglife-duty.js';
export * from './orglife-photos.js';
export * from './feedback.js';
export * from './messages.js';
export * from './privacy.js';
export * from './onboarding.js';
