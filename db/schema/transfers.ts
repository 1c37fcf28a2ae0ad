/** Tables for the transfers domain. */
export {};
