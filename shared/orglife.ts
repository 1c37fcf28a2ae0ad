/**
 * Organizational life (组织生活): 三会一课, 主题党日, 组织生活会, 民主评议, 谈心谈话 and
 * each member's 学时 — the rules, the due engine and the contracts.
 */
export * from './orglife/rules.js';
export * from './orglife/due.js';
export * from './orglife/contracts.js';
export * from './orglife/review-contracts.js';
export * from './orglife/duty.js';
export * from './orglife/duty-contracts.js';
export * from './orglife/figures.js';
export * from './orglife/photos.js';
