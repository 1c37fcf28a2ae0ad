/** Error codes the API answers with, and the status each one carries. */
export const ERROR_STATUS = {
  bad_request: 400,
  validation_failed: 400,
  malformed_json: 400,
  unauthorized: 401,
  forbidden: 403,
  /** The account has not agreed to the current privacy guide (and its separate ID-number consent). */
  consent_required: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  stale_version: 409,
  invalid_transition: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  idempotency_mismatch: 422,
  unprocessable: 422,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export interface ErrorBody {
  error: { code: ErrorCode | (string & {}); message: string; details?: unknown };
}

/** A field-level problem, for forms and import reports. */
export interface FieldIssue {
  path: (string | number)[];
  message: string;
}
