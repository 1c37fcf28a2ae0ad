/** The secretary's collective political birthday (集体过政治生日): the ceremony and its members' sign-ins in one transaction. */
import { inArray } from 'drizzle-orm';
import * as birthdaysApi from '../../../shared/birthdays.js';
import {
  anniversaryNumber,
  chineseDate,
  occasionInYear,
  type BirthdayOccasion,
} from '../../../shared/birthdays.js';
import { birthdayCeremonies, birthdaySignIns, members } from '../../../db/schema/index.js';
import { writeAudit } from '../../_app/audit.js';
import { JsonResponse, route } from '../../_app/context.js';
import { ApiError, forbidden } from '../../_app/errors.js';
import { withIdempotency } from '../../_app/idempotency.js';
import { selectMembersWithSettings, settingsOf } from './members-settings.js';


/**
 * The secretary records the branch's collective political birthday: every
 * ticked member must be an active member of the secretary's own branch whose
 * window contains the day; each is signed in (the same unique index), audited.
 */
export const recordCeremony = route(birthdaysApi.ceremony, async (ctx) => {
  const p = ctx.user;
  if (p.role !== 'secretary' || p.organizationId == null) throw forbidden('集体过政治生日由本支部书记记录');
  const branchId = p.organizationId;
  const body = ctx.body;
  if (body.heldOn > ctx.today) throw new ApiError('unprocessable', '活动日期不能晚于今天');

  return withIdempotency(ctx, 'birthdays.ceremony', async (tx) => {
    const attendees = await selectMembersWithSettings(tx, {
      id: members.id,
      name: members.name,
      organizationId: members.organizationId,
      status: members.status,
      joinedAt: members.joinedAt,
    }).where(inArray(members.id, body.attendeeMemberIds));
    const outside = body.attendeeMemberIds.length - attendees.filter((a) => a.organizationId === branchId).length;
    if (outside > 0) throw forbidden(`所选人员中有${outside}人不是本支部党员，只能为本支部党员记录`);
    const inactive = attendees.filter((a) => a.status !== 'active');
    if (inactive.length) throw new ApiError('unprocessable', `${inactive.map((a) => a.name).join('、')}已不在册，不能签到`);

    const year = Number(body.heldOn.slice(0, 4));
    const occasions = new Map<number, BirthdayOccasion>();
    const notDue: string[] = [];
    for (const a of attendees) {
      const occasion = occasionInYear(a.joinedAt, year, settingsOf(a).birthdayWindow);
      if (occasion && occasion.opens <= body.heldOn && body.heldOn <= occasion.closes) occasions.set(a.id, occasion);
      else notDue.push(`${a.name}（${Number(a.joinedAt.slice(5, 7))}月）`);
    }
    if (notDue.length) {
      throw new ApiError('unprocessable', `以下党员的政治生日不在${chineseDate(body.heldOn)}所在的签到时间内：${notDue.join('、')}`);
    }

    const [ceremonyRow] = await tx
      .insert(birthdayCeremonies)
      .values({
        organizationId: branchId,
        heldOn: body.heldOn,
        topic: body.topic,
        place: body.place || null,
        note: body.note || null,
        recordedByAccountId: p.accountId,
      })
      .returning({ id: birthdayCeremonies.id });
    if (!ceremonyRow) throw new Error('ceremony not created');
    const credited = await tx
      .insert(birthdaySignIns)
      .values(
        attendees.map((a) => ({
          memberId: a.id,
          year,
          years: occasions.get(a.id)?.years ?? anniversaryNumber(a.joinedAt, year),
          mode: 'ceremony' as const,
          ceremonyId: ceremonyRow.id,
          signedAt: ctx.now,
          recordedByAccountId: p.accountId,
        })),
      )
      .onConflictDoNothing({ target: [birthdaySignIns.memberId, birthdaySignIns.year] })
      .returning({ memberId: birthdaySignIns.memberId });
    const signedIn = credited.map((c) => c.memberId).sort((a, b) => a - b);
    const newly = new Set(signedIn);
    const alreadySignedIn = body.attendeeMemberIds.filter((id) => !newly.has(id)).sort((a, b) => a - b);
    await writeAudit(
      tx,
      p,
      {
        action: 'birthday.ceremony.record',
        targetType: 'birthday_ceremony',
        targetId: ceremonyRow.id,
        details: { organizationId: branchId, heldOn: body.heldOn, year, signedIn, alreadySignedIn },
      },
      ctx.now,
    );
    return new JsonResponse(201, { ceremonyId: ceremonyRow.id, heldOn: body.heldOn, signedIn, alreadySignedIn });
  });
});
