/**
 * What a classified provider failure does to one recipient (the send step's error half):
 * - opted out → `failed` (reason provider_opted_out) and the number suppressed on the channel;
 * - 429 / rate_limited, or "business reached its limits" (pauseSender) → a cool-down on the limit
 *   concerned (so every other send of that account / channel waits too, in the rate limiter), and
 *   this recipient retries after exactly the Retry-After (or the default), as a free attempt;
 * - retryable (5xx, timeouts) → retried under the campaign's max_attempts / max_retry_seconds
 *   (policy/retry-decision.ts); a failed circuit-breaker probe is a free attempt;
 * - anything else (permanent, auth, a window_closed with no fallback left) → `failed`.
 * Retries re-schedule the job (moveToDelayed) instead of throwing to BullMQ, so a retry never uses a
 * BullMQ attempt; those stay for unexpected errors (see exhausted-send.ts). A retry whose campaign
 * was cancelled or expired while the request was in flight ends the row with its campaign instead
 * (recipient-outcome.ts, recordRetrying).
 */
import type pg from 'pg';
import type { Logger } from '../observability/logger.js';
import { coolDownKey } from '../policy/rate-limits.js';
import { decideRetry } from '../policy/retry-decision.js';
import type { ProviderError } from '../providers/provider-error.js';
import type { RateLimiter } from '../queue/rate-limiter.js';
import { completeCampaignIfDone } from './campaign-completion.js';
import { delayJob, type DelayableJob } from './job-delay.js';
import type { ClaimedRecipient } from './recipient-claim.js';
import { recordFailed, recordRetrying } from './recipient-outcome.js';
import type { SendContext } from './send-context.js';
import type { SendLedger } from './send-ledger.js';
import { suppressOptedOut } from './suppress-number.js';

/** Cool-down after a 429 that named no Retry-After. */
export const DEFAULT_RATE_LIMITED_COOL_DOWN_MS = 1_000;
/** Cool-down of a channel whose business hit its provider-side limit, when no Retry-After came. */
export const DEFAULT_PAUSE_SENDER_COOL_DOWN_MS = 60_000;

export interface FailureDeps {
  pool: pg.Pool;
  limiter: RateLimiter;
  /** The send path's coalesced completion check (send-ledger.ts); default one statement per call. */
  ledger?: Pick<SendLedger, 'completeCampaignIfDone'>;
}

export interface FailureInput {
  err: ProviderError;
  job: DelayableJob;
  token: string | undefined;
  claim: ClaimedRecipient;
  context: SendContext;
  /** The ledger reason the attempt was made under (`window_closed` keeps the template next time). */
  reason: 'window_closed' | null;
  firstAttemptAt: number;
  probe: boolean;
  log: Logger;
  /** Told just before a retry is scheduled (metrics). */
  onRetry(errorClass: ProviderError['errorClass']): void;
}

/** How a failure ended when it did not schedule a retry. */
export type FailureOutcome = 'failed' | 'skipped' | 'expired';

/**
 * Records the failure; resolves how the recipient ended, or throws DelayedError after scheduling
 * a retry.
 */
export async function handleProviderFailure(deps: FailureDeps, input: FailureInput): Promise<FailureOutcome> {
  const { err, claim, context, log } = input;
  const details = { code: err.providerCode, message: err.providerMessage };

  if (err.optedOut) {
    await suppressOptedOut(deps.pool, context.channel.id, claim.number);
    return fail('provider_opted_out');
  }

  const slowDown = err.errorClass === 'rate_limited' || err.pauseSender;
  if (slowDown) {
    const cause = err.pauseSender ? 'pause_sender' : 'rate_limited';
    const ms = err.retryAfterMs ?? (err.pauseSender ? DEFAULT_PAUSE_SENDER_COOL_DOWN_MS : DEFAULT_RATE_LIMITED_COOL_DOWN_MS);
    await deps.limiter.coolDown(coolDownKey(context.limits, cause), ms);
    log.warn({ providerCode: err.providerCode, coolDownMs: ms, cause }, 'provider asked us to slow down; cooling the limit');
    return retry(true, ms);
  }
  if (err.errorClass === 'retryable') return retry(input.probe, err.retryAfterMs);
  return fail(`provider_${err.errorClass}`);

  async function retry(free: boolean, retryAfterMs: number | undefined): Promise<FailureOutcome> {
    const decision = decideRetry({
      attempts: claim.attempts,
      freeAttempts: input.job.data.freeAttempts ?? 0,
      firstAttemptAt: input.firstAttemptAt,
      retryAfterMs,
      free,
      limits: { maxAttempts: context.maxAttempts, maxRetrySeconds: context.maxRetrySeconds },
      now: Date.now(),
    });
    if (!decision.retry) return fail(decision.reason);
    const status = await recordRetrying(deps.pool, claim.id, details, { reason: input.reason });
    if (status === null) return 'skipped';
    if (status !== 'retrying') return endedWithCampaign(status, log);
    log.info({ errorClass: err.errorClass, providerCode: err.providerCode, delayMs: decision.delayMs, free }, 'send failed; will retry');
    input.onRetry(err.errorClass);
    return delayJob(input.job, input.token, decision.delayMs, {
      firstAttemptAt: input.firstAttemptAt,
      freeAttempts: decision.freeAttempts,
      limiterSlotAt: undefined,
    });
  }

  async function fail(reason: string): Promise<'failed'> {
    log.warn({ errorClass: err.errorClass, providerCode: err.providerCode, attempts: claim.attempts, reason }, 'send failed for good');
    await recordFailed(deps.pool, claim.id, { ...details, reason });
    await (deps.ledger ? deps.ledger.completeCampaignIfDone(claim.campaignId) : completeCampaignIfDone(deps.pool, claim.campaignId));
    return 'failed';
  }
}

/**
 * The outcome of an attempt whose row ended with its campaign (cancelled or expired while the
 * request was in flight) instead of going back in line.
 */
export function endedWithCampaign(status: 'cancelled' | 'expired' | 'failed', log: Logger): FailureOutcome {
  log.info({ recipientStatus: status }, 'campaign ended while the send was in flight; recipient ends with it');
  if (status === 'expired') return 'expired';
  return status === 'failed' ? 'failed' : 'skipped';
}
