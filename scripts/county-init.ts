/**
 * `npm run county:init -- 某县委组织部`: the first step of a fresh deployment.
 * Migrates, creates the county organization if there is none (one per deployment:
 * a second run finds it and creates nothing), and prints a one-time invitation
 * code for a county staff account: whoever signs in to the mini-program and
 * enters it becomes 县委组织部 staff. Each run prints a new code (the earlier ones
 * stay valid until used or expired); only the code's hash is stored.
 */
import QRCode from 'qrcode';
import { count, eq } from 'drizzle-orm';
import { loadConfig } from '../api/_app/config.js';
import { writeAudit } from '../api/_app/audit.js';
import { ensureCounty, expiryFrom, insertInvitation, randomInvitationCode } from '../api/_domains/onboarding/store.js';
import { formatInvitationCode, INVITATION_QR_PREFIX, INVITATION_VALID_DAYS } from '../shared/onboarding.js';
import { shanghaiDate } from '../shared/calendar.js';
import { openDatabase, type Db } from '../db/client.js';
import { migrateDatabase } from '../db/migrate.js';
import { accounts } from '../db/schema/index.js';

const name = process.argv.slice(2).join(' ').trim();
const config = loadConfig();
const database = await openDatabase({ ...config.database });
try {
  await migrateDatabase(database);
  const now = config.initialNow ? new Date(config.initialNow) : new Date();
  const code = randomInvitationCode();
  const result = await database.db.transaction(async (tx) => {
    const db = tx as unknown as Db;
    const [existing] = await db.select({ n: count() }).from(accounts).where(eq(accounts.role, 'county'));
    const county = await ensureCounty(db, name || null);
    if (!county) throw new Error('missing name');
    const invitationId = await insertInvitation(db, { code, role: 'county', organizationId: county.id, createdByAccountId: null, now });
    await writeAudit(db, null, { action: 'county.init', targetType: 'organization', targetId: county.id, details: { created: county.created, invitationId } }, now);
    return { county, countyAccounts: existing?.n ?? 0 };
  });
  const { county, countyAccounts } = result;
  console.log(county.created ? `已创建县级组织：${county.name}` : `县级组织已存在：${county.name}（未新建）`);
  if (!county.created && name && name !== county.name) console.log(`注意：参数中的名称“${name}”与已有的“${county.name}”不同，一个部署只有一个县。`);
  if (countyAccounts > 0) console.log(`已有 ${countyAccounts} 个县委组织部账号；下面是一个新的邀请码。`);
  console.log(`\n县委组织部工作人员邀请码（${INVITATION_VALID_DAYS}天内有效，只能使用一次，有效期至 ${shanghaiDate(expiryFrom(now))}）：\n`);
  console.log(`    ${formatInvitationCode(code)}\n`);
  console.log(await QRCode.toString(INVITATION_QR_PREFIX + code, { type: 'terminal', small: true }));
  console.log('用微信打开小程序并登录，在“我的”页“使用邀请码”中输入（或扫码），即成为县委组织部工作人员。');
} catch (err) {
  if (err instanceof Error && err.message === 'missing name') {
    console.error('数据库中还没有县级组织：请给出名称，例如 npm run county:init -- 清河县委组织部');
  } else {
    console.error(err);
  }
  process.exitCode = 1;
} finally {
  await database.close();
}
