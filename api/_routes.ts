/**
 * The whole API in one table, keyed like the contracts in `shared/`: each entry
 * binds a contract (method, path, access, ownership, Idempotency-Key rule,
 * request and response schemas) to its handler. `RouteTable` makes a contract
 * without a handler a compile error.
 */
import type { RouteDef } from './_app/context.js';
import { routeList, type RouteTable } from './_app/route-table.js';
import * as auth from './_domains/auth.js';
import * as birthdays from './_domains/birthdays/index.js';
import * as commendations from './_domains/commendations/index.js';
import * as county from './_domains/county.js';
import * as dashboard from './_domains/dashboard.js';
import * as development from './_domains/development/index.js';
import * as medals from './_domains/medals.js';
import * as onboarding from './_domains/onboarding/index.js';
import * as orglife from './_domains/orglife/index.js';
import * as members from './_domains/members/roster.js';
import * as memberEdit from './_domains/members/edit.js';
import * as membersExcel from './_domains/members/excel.js';
import * as membersImport from './_domains/members/import.js';
import * as myData from './_domains/members/my-data.js';
import * as registrationReview from './_domains/registrations/review.js';
import * as registrations from './_domains/registrations/submit.js';
import * as feedback from './_domains/feedback/index.js';
import * as messages from './_domains/messages/index.js';
import * as privacy from './_domains/privacy.js';
import * as study from './_domains/study.js';
import * as settings from './_domains/settings.js';
import * as system from './_domains/system.js';
import * as transfers from './_domains/transfers/index.js';
import type { PersonalDataSection } from './_app/personal-data.js';
import { birthdaySections } from './_domains/birthdays/personal-data.js';
import { commendationSections } from './_domains/commendations/personal-data.js';
import { developmentSections } from './_domains/development/personal-data.js';
import { feedbackSections } from './_domains/feedback/personal-data.js';
import { messageSections } from './_domains/messages/personal-data.js';
import { orglifeSections } from './_domains/orglife/personal-data.js';
import { registrationSections } from './_domains/registrations/personal-data.js';
import { studySections } from './_domains/study/personal-data.js';
import { transferSections } from './_domains/transfers/personal-data.js';

/** The member's own data export (GET /api/me/export): each domain's part of it, in the order the file lists them. */
export const PERSONAL_DATA_SECTIONS: readonly PersonalDataSection[] = [
  ...registrationSections,
  ...studySections,
  ...birthdaySections,
  ...medals.medalSections,
  ...transferSections,
  ...commendationSections,
  ...orglifeSections,
  ...developmentSections,
  ...feedbackSections,
  ...messageSections,
  ...privacy.privacySections,
];

export const routeTable = {
  system: {
    health: system.health,
    openapi: system.openapiRoute(() => routes),
    devClock: system.devClock,
  },
  auth: {
    wechatLogin: auth.wechatLogin,
    refreshSession: auth.refreshSession,
    devLogin: auth.devLogin,
    devAccounts: auth.devAccounts,
    me: auth.me,
  },
  // Members and organizations
  members: {
    organizations: members.listOrganizations,
    listMembers: members.listMembers,
    getMember: memberEdit.getMember,
    updateMember: memberEdit.updateMember,
    revealIdNumber: members.revealIdNumber,
    exportMyData: myData.personalDataExport(PERSONAL_DATA_SECTIONS),
    importMembers: membersImport.importMembers,
    exportMembers: membersExcel.exportMembers,
    importTemplate: membersExcel.importTemplate,
  },
  // Registration verified by the branch
  registrations: {
    submitRegistration: registrations.submitRegistration,
    myRegistration: registrations.myRegistration,
    listRegistrations: registrationReview.listRegistrations,
    approveRegistration: registrationReview.approveRegistration,
    rejectRegistration: registrationReview.rejectRegistration,
  },
  // Commendations (两优一先), targets, honor roll
  commendations: {
    listCommendations: commendations.listCommendations,
    createCommendation: commendations.createCommendation,
    exportCommendations: commendations.exportCommendations,
    listCandidates: commendations.listCandidates,
    updateCommendation: commendations.updateCommendation,
    deleteCommendation: commendations.deleteCommendation,
    listCampaigns: commendations.listCampaigns,
    createCampaign: commendations.createCampaign,
    getTargets: commendations.getTargets,
    putTargets: commendations.putTargets,
    honorRoll: commendations.honorRoll,
  },
  // The dashboard (管理 home)
  dashboard: {
    dashboard: dashboard.dashboard,
  },
  // The county's side-by-side view of its townships and the statistics it reports upward
  county: {
    countyOverview: county.countyOverview,
    exportCountyRoster: county.exportCountyRoster,
  },
  // Political birthdays (政治生日)
  birthdays: {
    myBirthday: birthdays.myBirthday,
    signIn: birthdays.signIn,
    monthList: birthdays.monthList,
    ceremony: birthdays.recordCeremony,
    runReminders: birthdays.runReminders,
    runRemindersFromCron: birthdays.runRemindersFromCron,
  },
  // 光荣在党50年
  medals: {
    medalEligible: medals.medalEligible,
    recordMedalAward: medals.recordMedalAward,
    memberMedal: medals.memberMedal,
  },
  // Organization-relationship transfers (组织关系转接)
  transfers: {
    createTransfer: transfers.createTransfer,
    listTransfers: transfers.listTransfers,
    exportLedger: transfers.exportLedger,
    getTransfer: transfers.getTransfer,
    reviewTransfer: transfers.reviewTransfer,
    approveTransfer: transfers.approveTransfer,
    rejectTransfer: transfers.rejectTransfer,
    withdrawTransfer: transfers.withdrawTransfer,
    recordReceipt: transfers.recordReceipt,
    recordReport: transfers.recordReport,
    receiveTransfer: transfers.receiveTransfer,
    getLetter: transfers.getLetter,
    printLetter: transfers.printLetter,
    transferReminderTemplate: transfers.transferReminderTemplate,
    subscribeTransferProgress: transfers.subscribeTransferProgress,
  },
  // Daily one-hour study (每天学习1小时)
  study: {
    startSession: study.startSession,
    confirmPresence: study.confirmPresence,
    finishSession: study.finishSession,
    checkIn: study.checkIn,
    myStudy: study.myStudy,
    createEvent: study.createEvent,
    listEvents: study.listEvents,
    eventQr: study.eventQr,
    signIn: study.signIn,
    tickAttendees: study.tickAttendees,
    organizationWeek: study.organizationWeek,
    summary: study.summary,
  },
  // 发展党员 (《中国共产党发展党员工作细则》)
  development: {
    myDevelopment: development.myDevelopment,
    linkMyDevelopment: development.linkMyDevelopment,
    listDevelopment: development.listDevelopment,
    createDevelopment: development.createDevelopment,
    getDevelopment: development.getDevelopment,
    recordStep: development.recordStep,
    developmentQueue: development.developmentQueue,
    setDevelopmentTarget: development.setDevelopmentTarget,
    exportDevelopment: development.exportDevelopment,
    getWorkCalendar: development.getWorkCalendar,
    putWorkCalendar: development.putWorkCalendar,
    countyDevelopment: development.countyDevelopment,
    setCountyDevelopmentTarget: development.setCountyDevelopmentTarget,
  },
  // Organizational life (三会一课, 主题党日, 民主评议, 谈心谈话, 学时)
  orglife: {
    createMeeting: orglife.createMeeting,
    updateAttendance: orglife.updateAttendance,
    listMeetings: orglife.listMeetings,
    getMeeting: orglife.getMeeting,
    expectedAttendees: orglife.expectedAttendees,
    calendar: orglife.calendar,
    townshipOutstanding: orglife.townshipOutstanding,
    myOrglife: orglife.myOrglife,
    openAppraisal: orglife.openAppraisal,
    getAppraisal: orglife.getAppraisal,
    gradeMember: orglife.gradeMember,
    recordTalk: orglife.recordTalk,
    exportSummary: orglife.exportSummary,
    lectureDuty: orglife.lectureDuty,
    putLectureDuty: orglife.putLectureDuty,
    lectureSpeakers: orglife.lectureSpeakers,
    uploadMeetingPhoto: orglife.uploadMeetingPhoto,
    listMeetingPhotos: orglife.listMeetingPhotos,
    getMeetingPhoto: orglife.getMeetingPhoto,
    deleteMeetingPhoto: orglife.deleteMeetingPhoto,
  },
  // 投诉建议 (国办函〔2026〕12号)
  feedback: {
    sendFeedback: feedback.sendFeedback,
    listFeedback: feedback.listFeedback,
    assignFeedback: feedback.assignFeedback,
    replyFeedback: feedback.replyFeedback,
    closeFeedback: feedback.closeFeedback,
  },
  // 消息中心 (issue 18.6)
  messages: {
    listMessages: messages.listMessages,
    markMessageRead: messages.markMessageRead,
    markAllMessagesRead: messages.markAllMessagesRead,
  },
  // 本镇设置 and 县级默认设置 (issue 17.3)
  settings: {
    getTownshipSettings: settings.getTownshipSettings,
    putTownshipSettings: settings.putTownshipSettings,
    getCountySettings: settings.getCountySettings,
    putCountySettings: settings.putCountySettings,
  },
  // 隐私保护指引 and consent (PIPL arts. 14, 29)
  privacy: {
    myConsent: privacy.myConsent,
    agreeConsent: privacy.agreeConsent,
    withdrawConsent: privacy.withdrawConsent,
  },
  // 乡镇开通: townships, branches and one-time invitation codes (issue 17.2)
  onboarding: {
    listTownships: onboarding.listTownships,
    createTownship: onboarding.createTownship,
    addBranches: onboarding.addBranches,
    inviteTownshipStaff: onboarding.inviteTownshipStaff,
    revokeCountyInvitation: onboarding.revokeCountyInvitation,
    invite: onboarding.invite,
    listInvitations: onboarding.listInvitations,
    revokeInvitation: onboarding.revokeInvitation,
    redeemInvitation: onboarding.redeemInvitation,
  },
} satisfies RouteTable;

/** Every route, in the table's order (what the dispatcher compiles and the tests walk). */
export const routes: readonly RouteDef[] = routeList(routeTable);
