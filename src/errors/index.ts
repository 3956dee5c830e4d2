export { AppError, isAppError, type AppErrorOptions } from './app-error.js';
export { ERROR_CODES, type ErrorCode } from './codes.js';
