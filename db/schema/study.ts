/** Tables for the study domain. */
export {};
