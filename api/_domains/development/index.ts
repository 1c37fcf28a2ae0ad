/** 发展党员: the branch's records and steps, the township's queue and target, the applicant's own view, the 档案 export. */
export { listDevelopment, getDevelopment, createDevelopment } from './records.js';
export { recordStep } from './steps.js';
export { developmentQueue, setDevelopmentTarget } from './township.js';
export { myDevelopment, linkMyDevelopment } from './mine.js';
export { exportDevelopment } from './export.js';
export { getWorkCalendar, putWorkCalendar, countyDevelopment, setCountyDevelopmentTarget } from './county.js';
