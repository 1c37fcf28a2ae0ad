/** Tables for the registrations domain. */
export {};
