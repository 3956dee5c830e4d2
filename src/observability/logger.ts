import { pino, type Logger, type LoggerOptions } from 'pino';

export type { Logger };

/** Secret-bearing property names: redacted at the top level, one level down and two levels down. */
const SECRET_KEYS = [
  'credentials',
  'apiKey',
  'clientSecret',
  'password',
  'access_token',
  'refresh_token',
  'accessToken',
  'refreshToken',
  'metricsToken',
  'webhookSecret',
  'credentialsKeyring',
];

/** Paths never written to logs: provider secrets, tokens, API keys, credential keys. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'headers.authorization',
  'headers["x-api-key"]',
  '*.headers.authorization',
  '*.headers["x-api-key"]',
  ...SECRET_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]),
];

/**
 * The root logger: JSON lines by default, pretty-printed when stdout is a terminal.
 * Modules take a child of it (`log.child({ module: 'fan-out' })`).
 */
export function createLogger(options: { level?: string; name?: string; pretty?: boolean } = {}): Logger {
  const base: LoggerOptions = {
    level: options.level ?? 'info',
    name: options.name,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
  };
  const pretty = options.pretty ?? process.stdout.isTTY === true;
  if (pretty) {
    return pino({ ...base, transport: { target: 'pino-pretty', options: { colorize: true } } });
  }
  return pino(base);
}
