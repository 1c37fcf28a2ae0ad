/** Tables for the birthdays domain. */
export {};
