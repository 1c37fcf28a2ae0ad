/** The ID-number keys from the app's config, for `sealIdNumber` / `openIdNumber` (db/pii.ts). */
import type { PiiKeys } from '../../db/pii.js';
import type { Ctx } from './context.js';

export function piiKeys(ctx: Pick<Ctx, 'deps'>): PiiKeys {
  return { encryptionKey: ctx.deps.config.idEncryptionKey, hashKey: ctx.deps.config.idHashKey };
}
