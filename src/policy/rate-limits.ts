/**
 * Which rate limits a send is subject to — pure: derived from the channel row and the number.
 *
 * Three layers (notes/providers.md), each a sliding window enforced fleet-wide by
 * src/queue/rate-limiter.ts:
 * - channel: `channels.rate_per_second` (carrier / WhatsApp-number throughput);
 * - provider account: every channel on one account shares it. Connectly allows 200 requests/s per
 *   account (businessId + API key); Yeastar documents no limit (UNVERIFIED), so a Yeastar account
 *   (baseUrl + clientId) is limited only when `settings.accountRatePerSecond` says so. Either can be
 *   overridden with that setting;
 * - pair: least time between two sends to one number on one channel, `channels.pair_gap_ms`, or the
 *   kind's default (WhatsApp ~1 message per 6 s per user, error 131056; others none).
 * Account keys hash the credentials: the key names the account without putting a secret in Redis.
 */
import { createHash } from 'node:crypto';

export const CONNECTLY_ACCOUNT_RATE_PER_SECOND = 200;
export const WHATSAPP_PAIR_GAP_MS = 6_000;

export interface LimitSpec {
  /** Redis key suffix (the limiter adds its prefix). */
  key: string;
  /** Most sends per window. */
  limit: number;
  windowMs: number;
  /** `rate` limits throughput (waiters are given spaced slots); `pair` spaces sends to one number. */
  kind: 'rate' | 'pair';
  /** Which layer it is (names the limit in metrics and logs). */
  scope: LimitScope;
}

/** The three layers of limits (module comment). */
export type LimitScope = 'channel' | 'account' | 'pair';

export interface LimitedChannel {
  id: string;
  provider: 'yeastar' | 'connectly';
  kind: 'sms' | 'whatsapp' | 'facebook';
  ratePerSecond: number;
  pairGapMs: number | null;
  settings: Record<string, unknown>;
  credentials: Record<string, unknown>;
}

/** The channel's and its account's throughput limits (no pair limit). */
export function throughputLimits(channel: LimitedChannel): LimitSpec[] {
  const limits: LimitSpec[] = [{ key: `ch:${channel.id}`, limit: Math.max(1, channel.ratePerSecond), windowMs: 1000, kind: 'rate', scope: 'channel' }];
  const account = accountLimit(channel);
  if (account) limits.push(account);
  return limits;
}

/** Every limit one send to `number` must pass. */
export function sendLimits(channel: LimitedChannel, number: string): LimitSpec[] {
  const limits = throughputLimits(channel);
  const gap = pairGapMs(channel);
  if (gap > 0) limits.push({ key: `pair:${channel.id}:${number}`, limit: 1, windowMs: gap, kind: 'pair', scope: 'pair' });
  return limits;
}

/** The pair gap in force: the channel's own, or its kind's default. */
export function pairGapMs(channel: Pick<LimitedChannel, 'kind' | 'pairGapMs'>): number {
  if (channel.pairGapMs !== null && channel.pairGapMs >= 0) return channel.pairGapMs;
  return channel.kind === 'whatsapp' ? WHATSAPP_PAIR_GAP_MS : 0;
}

/**
 * The key a provider's "slow down" answer cools: a 429 is the account's limit when the channel has
 * an account limit, else the channel's; a business-limit answer (pauseSender) pauses the channel.
 */
export function coolDownKey(channel: LimitedChannel, cause: 'rate_limited' | 'pause_sender'): string {
  if (cause === 'rate_limited') return accountLimit(channel)?.key ?? `ch:${channel.id}`;
  return `ch:${channel.id}`;
}

function accountLimit(channel: LimitedChannel): LimitSpec | null {
  const limit = accountRatePerSecond(channel);
  if (limit === null) return null;
  if (channel.provider === 'connectly') {
    const id = hash(`${str(channel.settings.businessId)}\u0000${str(channel.credentials.apiKey)}`);
    return { key: `acct:connectly:${id}`, limit, windowMs: 1000, kind: 'rate', scope: 'account' };
  }
  const id = hash(`${str(channel.settings.baseUrl).replace(/\/+$/, '')}\u0000${str(channel.credentials.clientId)}`);
  return { key: `acct:yeastar:${id}`, limit, windowMs: 1000, kind: 'rate', scope: 'account' };
}

/** The provider account's limit per second, or null when the account has none (module comment). */
function accountRatePerSecond(channel: Pick<LimitedChannel, 'provider' | 'settings'>): number | null {
  const configured = positiveInt(channel.settings.accountRatePerSecond);
  if (channel.provider === 'connectly') return configured ?? CONNECTLY_ACCOUNT_RATE_PER_SECOND;
  return configured ?? null;
}

/**
 * The most sends per second the channel's throughput limits allow one campaign (the lower of the
 * channel's and its account's) — what a queue of its sends drains at, at best.
 */
export function sustainedRatePerSecond(channel: Pick<LimitedChannel, 'provider' | 'ratePerSecond' | 'settings'>): number {
  const channelRate = Math.max(1, channel.ratePerSecond);
  const account = accountRatePerSecond(channel);
  return account === null ? channelRate : Math.min(channelRate, account);
}

function hash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 24);
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function positiveInt(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : undefined;
}
