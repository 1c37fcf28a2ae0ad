/**
 * The member's own political birthday page (`GET /api/birthdays/me`) in one statement rendered
 * once per process (db/statement.ts): the member with their branch, their township's and county's
 * settings rows, and their sign-ins with any collective ceremony. It is the most-read page of a
 * member's first screen, and building two drizzle selects per request cost more CPU than the
 * rest of its request path (bench/profile.ts birthdays-me).
 */
import { sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import * as birthdaysApi from '../../../shared/birthdays.js';
import { birthdayStatus, type BirthdayOccasion, type SignInRecord } from '../../../shared/birthdays.js';
import { partyStandingYears } from '../../../shared/members.js';
import { queryRows } from '../../../db/client.js';
import { birthdayCeremonies, birthdaySignIns, members, organizations } from '../../../db/schema/index.js';
import { iso, jsonObject, type JsonRow } from '../../../db/sql.js';
import { statementTemplate } from '../../../db/statement.js';
import { route } from '../../_app/context.js';
import { ApiError } from '../../_app/errors.js';
import { townshipOfOrganization } from '../../_app/scope.js';
import { settingsOf } from './members-settings.js';

const SIGN_IN_FIELDS = ['id', 'year', 'years', 'signedAt', 'mode', 'reflection', 'offlineLate'] as const;
type SignInJson = JsonRow<typeof birthdaySignIns, (typeof SIGN_IN_FIELDS)[number]> & {
  ceremony: JsonRow<typeof birthdayCeremonies, 'id' | 'heldOn' | 'topic'> | null;
};

interface MyBirthdayRow {
  member: JsonRow<typeof members, 'id' | 'name' | 'joinedAt' | 'confirmedAt'> & { organizationName: string };
  township_settings: unknown;
  county_settings: unknown;
  sign_ins: SignInJson[] | null;
}

const myBirthdayStatement = statementTemplate(['memberId'], (v) => {
  const m = alias(members, 'm');
  const branch = alias(organizations, 'branch');
  const township = alias(organizations, 'township');
  const county = alias(organizations, 'county');
  const s = alias(birthdaySignIns, 's');
  const c = alias(birthdayCeremonies, 'c');
  const ceremony = sql`case when ${c.id} is null then null else ${jsonObject(c, ['id', 'heldOn', 'topic'])} end`;
  return sql`select
    ${jsonObject(m, ['id', 'name', 'joinedAt', 'confirmedAt'], { organizationName: sql`${branch.name}` })} as member,
    ${township.settings} as township_settings, ${county.settings} as county_settings,
    (select json_agg(${jsonObject(s, SIGN_IN_FIELDS, { ceremony })} order by ${s.year} desc)
       from ${birthdaySignIns} ${s} left join ${birthdayCeremonies} ${c} on ${c.id} = ${s.ceremonyId}
       where ${s.memberId} = ${m.id}) as sign_ins
    from ${members} ${m}
    join ${organizations} ${branch} on ${branch.id} = ${m.organizationId}
    left join ${organizations} ${township} on ${township.id} = ${townshipOfOrganization(m.organizationId)}
    left join ${organizations} ${county} on ${county.id} = ${township.parentId}
    where ${m.id} = ${v.memberId}::int`;
});

function toSignInRecord(s: SignInJson): SignInRecord {
  return {
    id: s.id,
    year: s.year,
    years: s.years,
    signedAt: iso(s.signedAt),
    mode: s.mode,
    reflection: s.reflection,
    offlineLate: s.offlineLate,
    ceremony: s.ceremony,
  };
}

function occasionBody(o: BirthdayOccasion) {
  return { year: o.year, anniversary: o.anniversary, years: o.years, opens: o.opens, closes: o.closes };
}

export const myBirthday = route(birthdaysApi.myBirthday, async (ctx) => {
  const memberId = ctx.user.memberId;
  const [row] = memberId == null ? [] : await queryRows<MyBirthdayRow>(ctx.db, myBirthdayStatement({ memberId }));
  if (!row) throw new ApiError('not_found', '未找到您的党员档案，请联系支部书记');
  const self = row.member;
  const settings = settingsOf({ townshipSettings: row.township_settings, countySettings: row.county_settings });
  const window = settings.birthdayWindow;
  const status = birthdayStatus(self.joinedAt, ctx.today, window);
  const signIns = (row.sign_ins ?? []).map(toSignInRecord);
  return {
    today: ctx.today,
    window,
    member: { id: self.id, name: self.name, organizationName: self.organizationName, joinedAt: self.joinedAt, confirmedAt: self.confirmedAt },
    yearsSinceJoining: birthdaysApi.yearsSinceJoining(self.joinedAt, ctx.today),
    partyStandingYears: partyStandingYears(self.confirmedAt, ctx.today),
    isToday: status.isToday,
    open: status.open ? occasionBody(status.open) : null,
    signedInThisWindow: status.open != null && signIns.some((x) => x.year === status.open?.year),
    upcoming: occasionBody(status.upcoming),
    next: occasionBody(status.next),
    daysUntilNext: status.daysUntilNext,
    signIns,
    reminderTemplateId: settings.birthdayReminderTemplateId,
  };
});
