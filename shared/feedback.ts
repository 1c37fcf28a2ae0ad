/**
 * 投诉建议 (国办函〔2026〕12号: the host provides a complaint and suggestion
 * function). Any signed-in user sends one about the app or the township's work,
 * optionally anonymous; township staff handle it (take it on, reply, close).
 * Nothing is deleted: each step is appended to its history.
 */
export * from './feedback/contracts.js';
