/**
 * The one error type of the code base. Every error we raise on purpose carries a stable `code`
 * from the registry in `codes.ts`; the API maps codes to HTTP statuses.
 */
import { ERROR_CODES, type ErrorCode } from './codes.js';

export interface AppErrorOptions {
  /** The request field at fault, as a JSON path (e.g. `number_list[3].number`). */
  field?: string;
  cause?: unknown;
  retryable?: boolean;
  /** Extra data safe to show the caller. */
  details?: Record<string, unknown>;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly field?: string;
  readonly retryable: boolean;
  readonly details?: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.field = options.field;
    this.retryable = options.retryable ?? false;
    this.details = options.details;
  }

  get httpStatus(): number {
    return ERROR_CODES[this.code].status;
  }
}

export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError;
}
