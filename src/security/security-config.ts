/**
 * The security part of the process configuration, parsed from the environment by
 * src/config/config.ts (which spreads it into Config). Documented in SECURITY.md.
 */
import { keyringFromEnvironment, type Keyring } from './keyring.js';

export interface SecurityConfig {
  /**
   * CREDENTIALS_KEY (+ CREDENTIALS_PREVIOUS_KEYS): encrypts provider credentials at rest. Required
   * when NODE_ENV=production; elsewhere a public development key stands in (keyring.ts).
   */
  readonly credentialsKeyring: Keyring;
  /**
   * API_RATE_LIMIT_PER_SECOND (default 100; 0 turns the limit off): requests per second one API key
   * may make, sustained, per API process (src/api/plugins/rate-limit.ts).
   */
  readonly apiRateLimitPerSecond: number;
  /** API_RATE_LIMIT_BURST (default 200): requests one API key may make at once before the rate applies. */
  readonly apiRateLimitBurst: number;
  /**
   * FETCH_ALLOW_HOSTS (default none): comma-separated host names or IP addresses that URL fetches
   * (POST /v1/channels/:id/files with `{url}`) may reach even though they are, or resolve to,
   * internal addresses — e.g. a file server on the private network. Matched exactly, case-insensitive.
   */
  readonly fetchAllowHosts: readonly string[];
  /**
   * WEBHOOK_MAX_AGE_SECONDS (default 300): a signed webhook whose own timestamp (Connectly
   * `timestamp`) is older than this, or further than this in the future, is refused as a replay.
   */
  readonly webhookMaxAgeSeconds: number;
}

export const SECURITY_DEFAULTS = Object.freeze({
  apiRateLimitPerSecond: 100,
  apiRateLimitBurst: 200,
  webhookMaxAgeSeconds: 300,
});

function numberFrom(env: NodeJS.ProcessEnv, name: string, fallback: number, options: { min: number; integer: boolean }): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < options.min || (options.integer && !Number.isInteger(value))) {
    throw new Error(`${name} must be ${options.integer ? 'an integer' : 'a number'} ≥ ${options.min}, got "${raw}"`);
  }
  return value;
}

/** @throws Error for a malformed value, or no CREDENTIALS_KEY under NODE_ENV=production. */
export function loadSecurityConfig(env: NodeJS.ProcessEnv): SecurityConfig {
  return {
    credentialsKeyring: keyringFromEnvironment({
      current: env.CREDENTIALS_KEY,
      previous: env.CREDENTIALS_PREVIOUS_KEYS,
      production: env.NODE_ENV === 'production',
    }),
    // Fractions allowed: 0.5 is one request every two seconds.
    apiRateLimitPerSecond: numberFrom(env, 'API_RATE_LIMIT_PER_SECOND', SECURITY_DEFAULTS.apiRateLimitPerSecond, { min: 0, integer: false }),
    apiRateLimitBurst: numberFrom(env, 'API_RATE_LIMIT_BURST', SECURITY_DEFAULTS.apiRateLimitBurst, { min: 1, integer: true }),
    fetchAllowHosts: (env.FETCH_ALLOW_HOSTS ?? '')
      .split(',')
      .map((h) => h.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1'))
      .filter((h) => h !== ''),
    webhookMaxAgeSeconds: numberFrom(env, 'WEBHOOK_MAX_AGE_SECONDS', SECURITY_DEFAULTS.webhookMaxAgeSeconds, { min: 1, integer: true }),
  };
}
