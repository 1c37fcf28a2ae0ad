/** Political birthdays (政治生日), their reminders, and 光荣在党50年. */
import { eq } from 'drizzle-orm';
import { members } from '../../../db/schema/index.js';
import { get, send, type Fixture } from './fixture.js';

export const BIRTHDAY_FIXTURES: Record<string, Fixture> = {
  'GET /api/birthdays/me': { prepare: async () => get('/api/birthdays/me') },
  // Outside one's anniversary window the sign-in is refused by the calendar, after authorization.
  'POST /api/birthdays/sign-in': { prepare: async () => send('POST', '/api/birthdays/sign-in', { oathConfirmed: true }), alsoOk: [409] },
  'GET /api/birthdays': { prepare: async (w) => get('/api/birthdays', { month: '2026-06', organizationId: String(w.branchA) }) },
  'POST /api/birthdays/ceremonies': {
    prepare: async (w) => {
      const m = await w.freshMember();
      return send('POST', '/api/birthdays/ceremonies', {
        heldOn: w.ctx.clock.now().toISOString().slice(0, 10),
        topic: '主题党日·集体过政治生日',
        attendeeMemberIds: [m.memberId],
        oathConfirmed: true,
      });
    },
    // The ceremony is the branch's own 主题党日: its secretary records it, not the committee.
    override: { staff: 'denied' },
  },
  'GET /api/birthdays/medal-eligible': { prepare: async () => get('/api/birthdays/medal-eligible', { year: '2026' }) },
  // A member whose 党龄 reached 50 long ago, so the award can really be recorded.
  'POST /api/birthdays/medal-awards': {
    prepare: async (w) => {
      const m = await w.freshMember();
      await w.ctx.db.update(members).set({ joinedAt: '1960-03-01', confirmedAt: '1961-03-01' }).where(eq(members.id, m.memberId));
      return send('POST', '/api/birthdays/medal-awards', { memberId: m.memberId, awardedOn: '2026-06-10', presentedBy: '镇党委书记' });
    },
  },
  'GET /api/members/:id/medal': {
    prepare: async (w) => {
      const m = await w.freshMember();
      return { ...get(`/api/members/${m.memberId}/medal`), ownerToken: m.token };
    },
  },
  'POST /api/cron/birthday-reminders': { prepare: async () => send('POST', '/api/cron/birthday-reminders') },
  'GET /api/cron/birthday-reminders': { prepare: async () => get('/api/cron/birthday-reminders') },
};
