/**
 * `npm run keys:rotate-id`: re-encrypts and re-hashes every stored ID number
 * under new keys (see SECURITY.md).
 *
 *   ID_ENCRYPTION_KEY_OLD=… ID_HASH_KEY_OLD=… ID_ENCRYPTION_KEY=… ID_HASH_KEY=… DATABASE_URL=… npm run keys:rotate-id
 *
 * Every table with `id_cipher`/`id_hash` (members, registrations, transfers)
 * is rotated in ONE transaction, in batches of rows, so a failure leaves every
 * row under the old keys. The tables are locked against writes meanwhile (the
 * app keeps answering reads), so no row written with the old keys slips past.
 * It is idempotent: a row that already opens with the new key is only given
 * its new hash, so the command can be re-run — as it should be once more right
 * after the app is redeployed with the new keys, for anything written between
 * the rotation and the redeploy.
 */
import { pathToFileURL } from 'node:url';
import { sql } from 'drizzle-orm';
import { loadDatabaseConfig } from './config.js';
import { openDatabase, rowsOf, type Db } from './client.js';
import { hashIdNumber, openIdNumber, sealIdNumber, type PiiKeys } from './pii.js';

/** Tables that keep a sealed ID number (grep db/schema for id_cipher when adding one). */
export const SEALED_ID_TABLES = ['members', 'registrations', 'transfers'] as const;

export interface RotationReport {
  table: string;
  /** Rows re-encrypted from the old key. */
  rotated: number;
  /** Rows already under the new key (a re-run). */
  alreadyNew: number;
}

export class RotationError extends Error {}

type Row = { id: number; id_cipher: string; id_hash: string | null };


export async function rotateIdKeys(db: Db, oldKeys: PiiKeys, newKeys: PiiKeys, batchSize = 500): Promise<RotationReport[]> {
  return db.transaction(async (tx) => {
    await tx.execute(sql.raw(`lock table ${SEALED_ID_TABLES.join(', ')} in share row exclusive mode`));
    const reports: RotationReport[] = [];
    for (const table of SEALED_ID_TABLES) {
      const report: RotationReport = { table, rotated: 0, alreadyNew: 0 };
      let after = 0;
      for (;;) {
        const rows = rowsOf<Row>(
          await tx.execute(
            sql`select id, id_cipher, id_hash from ${sql.identifier(table)} where id_cipher is not null and id > ${after} order by id limit ${batchSize}`,
          ),
        );
        if (rows.length === 0) break;
        after = rows[rows.length - 1]!.id;
        const updates: { id: number; cipher: string; hash: string }[] = [];
        for (const row of rows) {
          const underNew = tryOpen(row.id_cipher, newKeys);
          if (underNew !== null) {
            report.alreadyNew += 1;
            const hash = hashIdNumber(underNew, newKeys);
            if (row.id_hash !== hash) updates.push({ id: row.id, cipher: row.id_cipher, hash });
            continue;
          }
          const idNumber = tryOpen(row.id_cipher, oldKeys);
          if (idNumber === null) throw new RotationError(`${table} #${row.id}: 身份证号密文既不能用旧密钥也不能用新密钥解开，已全部回滚`);
          const sealed = sealIdNumber(idNumber, newKeys);
          updates.push({ id: row.id, cipher: sealed.idCipher, hash: sealed.idHash });
          report.rotated += 1;
        }
        if (updates.length > 0) {
          const values = sql.join(
            updates.map((u) => sql`(${u.id}::int, ${u.cipher}::text, ${u.hash}::text)`),
            sql`, `,
          );
          await tx.execute(
            sql`update ${sql.identifier(table)} as t set id_cipher = v.cipher, id_hash = v.hash from (values ${values}) as v(id, cipher, hash) where t.id = v.id`,
          );
        }
      }
      reports.push(report);
    }
    return reports;
  });
}

function tryOpen(sealed: string, keys: PiiKeys): string | null {
  try {
    return openIdNumber(sealed, keys);
  } catch {
    return null;
  }
}

/** The four keys from the environment; the old pair must differ from the new one and none may be a dev default. */
export function rotationKeysFromEnv(env: Record<string, string | undefined>): { oldKeys: PiiKeys; newKeys: PiiKeys } {
  const missing = ['ID_ENCRYPTION_KEY_OLD', 'ID_HASH_KEY_OLD', 'ID_ENCRYPTION_KEY', 'ID_HASH_KEY'].filter((k) => !env[k]);
  if (missing.length) throw new RotationError(`缺少环境变量：${missing.join('、')}`);
  const key = (name: string) => {
    const bytes = Buffer.from(env[name] as string, 'base64');
    if (bytes.length !== 32) throw new RotationError(`${name} 必须是 base64 编码的 32 字节密钥（openssl rand -base64 32）`);
    return bytes;
  };
  const oldKeys = { encryptionKey: key('ID_ENCRYPTION_KEY_OLD'), hashKey: env.ID_HASH_KEY_OLD as string };
  const newKeys = { encryptionKey: key('ID_ENCRYPTION_KEY'), hashKey: env.ID_HASH_KEY as string };
  if (oldKeys.encryptionKey.equals(newKeys.encryptionKey) && oldKeys.hashKey === newKeys.hashKey) {
    throw new RotationError('新旧密钥相同，无需轮换');
  }
  return { oldKeys, newKeys };
}

async function main(): Promise<void> {
  const { oldKeys, newKeys } = rotationKeysFromEnv(process.env);
  // Only the database: the keys come from the variables above (outside development DATABASE_URL is required).
  const database = await openDatabase(loadDatabaseConfig());
  try {
    const reports = await rotateIdKeys(database.db, oldKeys, newKeys);
    for (const r of reports) console.log(`${r.table}: 重新加密 ${r.rotated} 条，已是新密钥 ${r.alreadyNew} 条`);
    console.log('身份证号密钥轮换完成。请把 ID_ENCRYPTION_KEY / ID_HASH_KEY 换成新值并重新部署，然后再运行一次本命令。');
  } finally {
    await database.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((err: unknown) => {
    console.error(err instanceof RotationError ? err.message : err);
    process.exitCode = 1;
  });
}
