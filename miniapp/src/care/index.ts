export { CARE_CLASS, CARE_MODE_KEY, careModeOn, setCareChoice, storedCareChoice, systemWantsLargeText, type CareChoice } from './care-mode'
export { useCareMode } from './useCareMode'
