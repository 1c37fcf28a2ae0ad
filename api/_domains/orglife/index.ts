/** Organizational life (组织生活): the handlers the route table binds. */
export { createMeeting, updateAttendance, listMeetings, getMeeting, expectedAttendees } from './meetings.js';
export { calendar, townshipOutstanding } from './calendar.js';
export { myOrglife } from './me.js';
export { openAppraisal, getAppraisal, gradeMember } from './appraisals.js';
export { recordTalk } from './talks.js';
export { exportSummary } from './export.js';
export { lectureDuty, putLectureDuty, lectureSpeakers } from './duty.js';
export { uploadMeetingPhoto, listMeetingPhotos, getMeetingPhoto, deleteMeetingPhoto } from './photos.js';
