/**
 * ID numbers at rest: AES-256-GCM ciphertext (readable only with the key) and
 * an HMAC (unique and searchable, not reversible). The `v1:` prefix names the
 * key generation, so keys can be rotated by re-encrypting (see SECURITY.md).
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { maskIdNumber, normalizeIdNumber } from '../shared/idcard.js';

export interface PiiKeys {
  encryptionKey: Buffer;
  hashKey: string;
}

export interface SealedIdNumber {
  idCipher: string;
  idHash: string;
  idMasked: string;
}

export function sealIdNumber(raw: string, keys: PiiKeys): SealedIdNumber {
  const id = normalizeIdNumber(raw);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keys.encryptionKey, iv);
  const ct = Buffer.concat([cipher.update(id, 'utf8'), cipher.final()]);
  const tag = cipher.getAuthTag();
  return {
    idCipher: `v1:${iv.toString('base64')}:${tag.toString('base64')}:${ct.toString('base64')}`,
    idHash: hashIdNumber(id, keys),
    idMasked: maskIdNumber(id),
  };
}

export function hashIdNumber(raw: string, keys: PiiKeys): string {
  return createHmac('sha256', keys.hashKey).update(normalizeIdNumber(raw)).digest('hex');
}

export function openIdNumber(sealed: string, keys: PiiKeys): string {
  const [version, iv, tag, ct] = sealed.split(':');
  if (version !== 'v1' || !iv || !tag || !ct) throw new Error('unknown ID cipher format');
  const decipher = createDecipheriv('aes-256-gcm', keys.encryptionKey, Buffer.from(iv, 'base64'));
  decipher.setAuthTag(Buffer.from(tag, 'base64'));
  return Buffer.concat([decipher.update(Buffer.from(ct, 'base64')), decipher.final()]).toString('utf8');
}
