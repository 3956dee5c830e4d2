/**
 * The CLI's exit codes — a contract scripts rely on — and the errors that carry them.
 *
 * | code | meaning                                                                  |
 * |------|--------------------------------------------------------------------------|
 * | 0    | done; with `--follow` / `follow`: the campaign completed                  |
 * | 1    | failed (the API refused the request, Postgres for `keys`…), or a followed |
 * |      | campaign ended failed, cancelled or expired                              |
 * | 2    | usage error: unknown command or option, missing argument, bad value      |
 * | 3    | the API cannot be reached (connection refused, DNS, timeout)             |
 * | 4    | the API refused the credentials (401 unknown key, 403 missing scope)      |
 */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;
export const EXIT_UNREACHABLE = 3;
export const EXIT_AUTH = 4;

/** An error the CLI reports as one line and ends with `exitCode`. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'CliError';
  }
}

/** A mistake in the command line itself (exit 2). */
export class UsageError extends CliError {
  constructor(message: string) {
    super(message, EXIT_USAGE);
    this.name = 'UsageError';
  }
}

/** The API answered with an error; `code` is its stable error code (src/errors/codes.ts). */
export class ApiError extends CliError {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(`${code}: ${message}`, status === 401 || status === 403 ? EXIT_AUTH : EXIT_FAILURE);
    this.name = 'ApiError';
  }
}
