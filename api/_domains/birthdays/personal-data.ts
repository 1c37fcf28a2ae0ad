/** The member's political-birthday sign-ins and reminders, for their data export (api/_app/personal-data.ts). */
import { eq, sql } from 'drizzle-orm';
import { SIGN_IN_MODE_LABELS } from '../../../shared/birthdays.js';
import { birthdayCeremonies, birthdayReminders, birthdaySignIns } from '../../../db/schema/index.js';
import { jsonRows, type PersonalDataSection } from '../../_app/personal-data.js';

const ceremony = (column: typeof birthdayCeremonies.heldOn | typeof birthdayCeremonies.topic) =>
  sql`(select ${column} from ${birthdayCeremonies} where ${birthdayCeremonies.id} = ${birthdaySignIns.ceremonyId})`;

export const birthdaySections: PersonalDataSection[] = [
  {
    key: 'birthday_sign_ins',
    title: '政治生日签到',
    tables: [birthdaySignIns, birthdayCeremonies],
    rows: (s) =>
      jsonRows(birthdaySignIns, ['year', 'years', 'mode', 'reflection', 'signedAt', 'offlineLate'], {
        where: eq(birthdaySignIns.memberId, s.memberId),
        orderBy: [birthdaySignIns.year],
        extra: { ceremonyHeldOn: ceremony(birthdayCeremonies.heldOn), ceremonyTopic: ceremony(birthdayCeremonies.topic) },
      }),
    labels: { mode: SIGN_IN_MODE_LABELS },
  },
  {
    key: 'birthday_reminders',
    title: '政治生日提醒',
    tables: [birthdayReminders],
    rows: (s) =>
      jsonRows(birthdayReminders, ['year', 'windowOpens', 'windowCloses', 'state', 'sentAt'], {
        where: eq(birthdayReminders.memberId, s.memberId),
        orderBy: [birthdayReminders.year],
      }),
  },
];
