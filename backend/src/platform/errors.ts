import { ERROR_MESSAGES, type ErrorBody, type ErrorCode } from '@ce/types';

const STATUS: Partial<Record<ErrorCode, number>> = {
  VALIDATION_FAILED: 400,
  MALFORMED_JSON: 400,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  NOT_FOUND: 404,
  UNAUTHENTICATED: 401,
  SESSION_EXPIRED: 401,
  SESSION_REPLACED: 401,
  BINDING_REPLACED: 401,
  FORBIDDEN: 403,
  PASSWORD_CHANGE_REQUIRED: 403,
  INVALID_CREDENTIALS: 401,
  ACCOUNT_LOCKED: 423,
  ACCOUNT_RENAMED: 401,
  ACCOUNT_AMBIGUOUS: 409,
  LEARNER_BIND_FAILED: 401,
  PASSWORD_GUESSABLE: 400,
  CLASS_NAME_TAKEN: 409,
  CATEGORY_NOT_SERVED: 400,
  RATE_LIMITED: 429,
  WEAK_PASSWORD: 400,
  PASSWORD_UNCHANGED: 400,
  WECHAT_LOGIN_FAILED: 502,
  WECHAT_CODE_INVALID: 401,
  NOT_BOUND: 403,
  PERSON_NOT_FOUND: 404,
  CLASS_NOT_FOUND: 404,
  ENROLLMENT_REJECTED: 422,
  PROVINCE_NOT_SUPPORTED: 400,
  ORDER_NOT_FOUND: 404,
  ENROLLMENT_NOT_PAYABLE: 422,
  ENROLLMENT_IN_OPEN_ORDER: 409,
  INVOICE_PROFILE_REQUIRED: 400,
  PAYER_REENTRY_MISMATCH: 400,
  ORDER_NOT_PAYABLE: 409,
  PAYMENT_METHOD_NOT_ALLOWED: 400,
  PAYMENT_IN_PROGRESS: 409,
  INVOICE_NOT_FOUND: 404,
  CONFLICT: 409,
  FILE_TOO_LARGE: 413,
  FILE_TYPE_NOT_ALLOWED: 415,
  FILE_LINK_INVALID: 403,
  SERVICE_UNAVAILABLE: 503,
};

/** An expected failure with a stable code; anything else that escapes a handler is answered as INTERNAL. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly details?: unknown,
    message?: string,
  ) {
    super(message ?? ERROR_MESSAGES[code]);
  }

  get status(): number {
    return STATUS[this.code] ?? 500;
  }

  toBody(): ErrorBody {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}
