/** A meeting as the API shows it: counts, the caller's own attendance, and the full list for officers in scope. */
import { sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { AttendanceStatus, LeaveReason, Meeting, MeetingType } from '../../../shared/orglife.js';
import type { Db } from '../../../db/client.js';
import { members, organizations, orglifeAttendance, orglifeMeetings } from '../../../db/schema/index.js';
import type { Principal } from '../../_app/auth.js';
import { organizationScope } from '../../_app/scope.js';
import { queryRows } from '../../../db/client.js';
import { iso } from '../../../db/sql.js';

const mt = alias(orglifeMeetings, 'mt');
const o = alias(organizations, 'o');
const a = alias(orglifeAttendance, 'a');
const m = alias(members, 'm');

interface MeetingRow {
  id: number;
  organizationId: number;
  organizationName: string;
  type: MeetingType;
  topic: string;
  place: string;
  host: string;
  speaker: string | null;
  speakerMemberId: number | null;
  agenda: string;
  minutes: string;
  startsAt: string | Date;
  endsAt: string | Date;
  day: string;
  studyMinutes: number;
  expectedCount: number;
  presentCount: number;
  excusedCount: number;
  absentCount: number;
  myStatus: AttendanceStatus | null;
  attendees: Array<{ memberId: number; name: string; status: AttendanceStatus; leaveReason: LeaveReason | null; leaveNote: string | null }> | null;
}

/**
 * Who sees a meeting: officers by scope (a secretary their branch, staff their
 * township); a member the meetings of their branch, and any meeting they were expected at.
 */
export function meetingVisible(p: Principal, meeting = mt): SQL {
  const memberId = p.memberId ?? -1;
  return sql`((${organizationScope(p, sql`${meeting.organizationId}`)})
    or ${meeting.organizationId} = (select ${m.organizationId} from ${members} ${m} where ${m.id} = ${memberId}::int)
    or exists (select 1 from ${orglifeAttendance} ${a} where ${a.meetingId} = ${meeting.id} and ${a.memberId} = ${memberId}::int))`;
}

export async function loadMeetings(db: Db, p: Principal, where: SQL, limit = 200): Promise<Meeting[]> {
  const memberId = p.memberId ?? -1;
  const rows = await queryRows<MeetingRow>(
    db,
    sql`select ${mt.id} as "id", ${mt.organizationId} as "organizationId", ${o.name} as "organizationName", ${mt.type} as "type",
          ${mt.topic} as "topic", ${mt.place} as "place", ${mt.host} as "host", ${mt.speaker} as "speaker",
          ${mt.speakerMemberId} as "speakerMemberId", ${mt.agenda} as "agenda",
          ${mt.minutes} as "minutes", ${mt.startsAt} as "startsAt", ${mt.endsAt} as "endsAt", ${mt.day}::text as "day",
          ${mt.studyMinutes} as "studyMinutes",
          c.expected as "expectedCount", c.present as "presentCount", c.excused as "excusedCount", c.absent as "absentCount",
          (select ${a.status} from ${orglifeAttendance} ${a} where ${a.meetingId} = ${mt.id} and ${a.memberId} = ${memberId}::int) as "myStatus",
          case when ${organizationScope(p, sql`${mt.organizationId}`)} then coalesce((
            select json_agg(json_build_object('memberId', ${m.id}, 'name', ${m.name}, 'status', ${a.status},
                   'leaveReason', ${a.leaveReason}, 'leaveNote', ${a.leaveNote}) order by ${m.name}, ${m.id})
            from ${orglifeAttendance} ${a} join ${members} ${m} on ${m.id} = ${a.memberId} where ${a.meetingId} = ${mt.id}), '[]'::json)
          else null end as "attendees"
        from ${orglifeMeetings} ${mt}
        join ${organizations} ${o} on ${o.id} = ${mt.organizationId}
        cross join lateral (
          select count(*)::int as expected,
                 (count(*) filter (where ${a.status} = 'present'))::int as present,
                 (count(*) filter (where ${a.status} = 'excused'))::int as excused,
                 (count(*) filter (where ${a.status} = 'absent'))::int as absent
          from ${orglifeAttendance} ${a} where ${a.meetingId} = ${mt.id}) c
        where ${meetingVisible(p)} and ${where}
        order by ${mt.startsAt} desc, ${mt.id} desc
        limit ${limit}`,
  );
  return rows.map((r) => ({ ...r, startsAt: iso(r.startsAt), endsAt: iso(r.endsAt) }));
}

export { mt as meetingAlias };
