/** Tables for the commendations domain. */
export {};
