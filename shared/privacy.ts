/**
 * 隐私保护指引 and consent (PIPL arts. 13, 14, 28, 29; WeChat's 小程序用户隐私保护指引):
 * the versioned guide, the scopes an account agrees to, and the routes.
 */
export * from './privacy/guide.js';
export * from './privacy/contracts.js';
