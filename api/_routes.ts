/**
 * The whole API in one table. Each line binds a contract from `shared/` (method,
 * path, who may call it, request and response schemas) to its handler.
 */
import type { Ownership } from '../shared/http.js';
import type { RouteDef } from './_app/context.js';
import * as auth from './_domains/auth.js';
import * as birthdays from './_domains/birthdays.js';
import * as commendations from './_domains/commendations/index.js';
import * as dashboard from './_domains/dashboard.js';
import * as medals from './_domains/medals.js';
import * as members from './_domains/members.js';
import * as memberEdit from './_domains/members-edit.js';
import * as membersExcel from './_domains/members-excel.js';
import * as membersImport from './_domains/members-import.js';
import * as myData from './_domains/my-data.js';
import * as registrationReview from './_domains/registration-review.js';
import * as registrations from './_domains/registrations.js';
import * as study from './_domains/study.js';
import * as system from './_domains/system.js';
import * as transfers from './_domains/transfers/index.js';

export const routes: readonly RouteDef[] = [
  // System
  system.health,
  system.openapiRoute(() => routes),
  system.devClock,
  // Auth
  auth.wechatLogin,
  auth.refreshSession,
  auth.devLogin,
  auth.devAccounts,
  auth.me,
  // Members and organizations
  members.listOrganizations,
  members.listMembers,
  memberEdit.getMember,
  memberEdit.updateMember,
  members.revealIdNumber,
  myData.exportMyData,
  membersImport.importMembers,
  membersExcel.exportMembers,
  membersExcel.importTemplate,
  // Registration verified by the branch
  registrations.submitRegistration,
  registrations.myRegistration,
  registrationReview.listRegistrations,
  registrationReview.approveRegistration,
  registrationReview.rejectRegistration,
  // Commendations (两优一先), targets, honor roll
  commendations.listCommendations,
  commendations.createCommendation,
  commendations.exportCommendations,
  commendations.listCandidates,
  commendations.updateCommendation,
  commendations.deleteCommendation,
  commendations.listCampaigns,
  commendations.createCampaign,
  commendations.getTargets,
  commendations.putTargets,
  commendations.honorRoll,
  // The dashboard (管理 home)
  dashboard.dashboard,
  // Political birthdays (政治生日)
  birthdays.myBirthday,
  birthdays.signIn,
  birthdays.monthList,
  birthdays.recordCeremony,
  medals.medalEligible,
  medals.recordMedalAward,
  medals.memberMedal,
  birthdays.runReminders,
  birthdays.runRemindersFromCron,
  // Organization-relationship transfers (组织关系转接)
  transfers.createTransfer,
  transfers.listTransfers,
  transfers.exportLedger,
  transfers.getTransfer,
  transfers.reviewTransfer,
  transfers.approveTransfer,
  transfers.rejectTransfer,
  transfers.withdrawTransfer,
  transfers.recordReceipt,
  transfers.recordReport,
  transfers.getLetter,
  // Daily one-hour study (每天学习1小时)
  study.startSession,
  study.confirmPresence,
  study.finishSession,
  study.checkIn,
  study.myStudy,
  study.createEvent,
  study.listEvents,
  study.eventQr,
  study.signIn,
  study.tickAttendees,
  study.organizationDay,
  study.summary,
] as readonly RouteDef[];

/**
 * Whose record each route touches (see `Ownership` in shared/http.ts). The
 * authorization matrix test calls every route as every kind of caller and
 * derives the expected answer from `access` and this declaration; a route
 * missing here fails that test.
 */
export const ownership: Record<string, Ownership> = {
  'GET /api/health': 'none',
  'GET /api/openapi.json': 'none',
  'POST /api/dev/clock': 'none',
  'POST /api/auth/wechat': 'none',
  'POST /api/auth/refresh': 'none',
  'POST /api/auth/dev': 'none',
  'GET /api/auth/dev/accounts': 'none',
  'GET /api/me': 'self',
  'GET /api/organizations': 'none',
  'GET /api/members': 'none',
  'GET /api/members/:id': 'member',
  'PATCH /api/members/:id': 'member',
  'POST /api/members/:id/reveal-id': 'member',
  'GET /api/me/export': 'self',
  'POST /api/members/import': 'township',
  'GET /api/members/export': 'none',
  'GET /api/members/import-template': 'none',
  'POST /api/registrations': 'self',
  'GET /api/registrations/mine': 'self',
  'GET /api/registrations': 'none',
  'POST /api/registrations/:id/approve': 'branch',
  'POST /api/registrations/:id/reject': 'branch',
  'GET /api/commendations': 'none',
  'POST /api/commendations': 'township',
  'GET /api/commendations/export': 'township',
  'GET /api/commendations/candidates': 'township',
  'PATCH /api/commendations/:id': 'township',
  'DELETE /api/commendations/:id': 'township',
  'GET /api/commendation-campaigns': 'none',
  'POST /api/commendation-campaigns': 'township',
  'GET /api/commendation-targets': 'none',
  'PUT /api/commendation-targets': 'township',
  'GET /api/honor-roll': 'none',
  'GET /api/dashboard': 'none',
  'GET /api/birthdays/me': 'self',
  'POST /api/birthdays/sign-in': 'self',
  'GET /api/birthdays': 'branch',
  'POST /api/birthdays/ceremonies': 'branch',
  'GET /api/birthdays/medal-eligible': 'township',
  'POST /api/birthdays/medal-awards': 'township',
  'GET /api/members/:id/medal': 'member',
  'POST /api/cron/birthday-reminders': 'none',
  'GET /api/cron/birthday-reminders': 'none',
  'POST /api/transfers': 'member',
  'GET /api/transfers': 'none',
  'GET /api/transfers/ledger': 'township',
  'GET /api/transfers/:id': 'member',
  'POST /api/transfers/:id/review': 'branch',
  'POST /api/transfers/:id/approve': 'township',
  'POST /api/transfers/:id/reject': 'branch',
  'POST /api/transfers/:id/withdraw': 'personal',
  'POST /api/transfers/:id/receipt': 'township',
  'POST /api/transfers/:id/report': 'branch',
  'GET /api/transfers/:id/letter': 'member',
  'POST /api/study/sessions': 'self',
  'POST /api/study/sessions/:id/presence': 'personal',
  'POST /api/study/sessions/:id/finish': 'personal',
  'POST /api/study/checkins': 'self',
  'GET /api/study/me': 'self',
  'POST /api/study/events': 'branch',
  'GET /api/study/events': 'none',
  'GET /api/study/events/:id/qr': 'branch',
  'POST /api/study/events/:id/sign-in': 'branch',
  'POST /api/study/events/:id/attendees': 'branch',
  'GET /api/study/organizations/:id/day': 'branch',
  'GET /api/study/summary': 'township',
};
