/**
 * The send step: one recipient, one attempt. claim → render → send → record outcome → maybe
 * complete the campaign. The ledger row in Postgres is the truth; the BullMQ job only carries ids
 * and decides *when* an attempt runs.
 *
 * Outcomes
 * - sent: `sent`, provider message id, sent_content (`session` for text/document, `template`).
 * - ProviderError permanent / auth / window_closed: `failed` with the provider's code and message.
 *   (window_closed will fall back to the campaign's template in a later issue; for now it fails.)
 * - ProviderError retryable / rate_limited: `retrying`, then the error is rethrown so BullMQ runs the
 *   job again after the backoff (Retry-After when the provider gave one); on the job's last attempt
 *   it is `failed` instead, so no row is left waiting for a retry that will never come.
 * - content that cannot be rendered: `failed` (CONTENT_INVALID) — retrying cannot fix it.
 * - anything else (Postgres down, a bug): rethrown; the row stays `sending` and the job's next run
 *   reclaims it (see recipient-claim.ts) and re-sends with the same idempotency key.
 */
import { DelayedError, type Job } from 'bullmq';
import type pg from 'pg';
import type { Logger } from '../observability/logger.js';
import { idempotencyKey } from '../policy/idempotency-key.js';
import { renderContent } from '../policy/render-content.js';
import { isProviderError, type ProviderError } from '../providers/provider-error.js';
import type { ChannelSpec, OutboundMessage, ProviderClient } from '../providers/types.js';
import type { SendJobData } from '../queue/names.js';
import { completeCampaignIfDone } from './campaign-completion.js';
import { claimRecipient, explainClaimMiss, type ClaimedRecipient } from './recipient-claim.js';
import { recordFailed, recordRetrying, recordSent } from './recipient-outcome.js';
import type { SendContextCache } from './send-context.js';

export type SendOutcome = 'sent' | 'failed' | 'retrying' | 'skipped';

export interface SendProcessorDeps {
  pool: pg.Pool;
  providers: { clientFor(channel: ChannelSpec): ProviderClient };
  contexts: SendContextCache;
  log: Logger;
}

/** What the processor needs of a BullMQ job (a real Job satisfies it). */
export type SendJob = Pick<Job<SendJobData>, 'data' | 'attemptsMade' | 'attemptsStarted' | 'opts' | 'moveToDelayed'>;

/**
 * Creates the send job processor for a BullMQ Worker.
 * @returns the processor; it resolves with the outcome, or throws to have BullMQ retry the job.
 */
export function createSendProcessor(deps: SendProcessorDeps): (job: SendJob, token?: string) => Promise<SendOutcome> {
  const moduleLog = deps.log.child({ module: 'send-recipient' });

  return async function processSend(job, token) {
    const { campaignId, recipientId } = job.data;
    const attempt = job.attemptsMade + 1;
    const isLastAttempt = attempt >= (job.opts.attempts ?? 1);
    const log = moduleLog.child({ campaignId, recipientId, attempt });

    // attemptsStarted counts every start (stalled re-runs and self-delays included); attemptsMade
    // only recorded failures. Equal-plus-one means every earlier run ended by throwing.
    const previousRunEnded = job.attemptsStarted <= job.attemptsMade + 1;
    const claim = await claimRecipient(deps.pool, recipientId, { previousRunEnded });
    if (!claim) return handleMiss(job, token, recipientId, log);

    const context = await deps.contexts.get(campaignId);
    if (!context) throw new Error(`campaign ${campaignId} vanished after its recipient was claimed`);

    const rendered = renderContent(context.content, claim.variables);
    if (!rendered.ok) {
      log.warn({ reason: rendered.reason }, 'content cannot be rendered; recipient failed');
      await recordFailed(deps.pool, recipientId, { code: 'CONTENT_INVALID', message: rendered.reason, reason: 'content_invalid' });
      await completeCampaignIfDone(deps.pool, campaignId);
      return 'failed';
    }

    const message: OutboundMessage = {
      idempotencyKey: idempotencyKey(campaignId, recipientId),
      to: claim.number,
      content: rendered.content,
      campaignName: context.campaignName,
    };

    let providerMessageId: string;
    try {
      const result = await deps.providers.clientFor(context.channel).send(message);
      providerMessageId = result.providerMessageId;
    } catch (err) {
      if (!isProviderError(err)) throw err;
      return recordProviderError(err, claim, isLastAttempt, log);
    }

    const sentContent = rendered.content.kind === 'template' ? 'template' : 'session';
    const mine = await recordSent(deps.pool, recipientId, { providerMessageId, sentContent });
    if (!mine) log.warn({ providerMessageId }, 'sent, but another run had already recorded this recipient');
    await completeCampaignIfDone(deps.pool, campaignId);
    return 'sent';
  };

  async function recordProviderError(
    err: ProviderError,
    claim: ClaimedRecipient,
    isLastAttempt: boolean,
    log: Logger,
  ): Promise<SendOutcome> {
    const details = { code: err.providerCode, message: err.providerMessage };
    const retry = err.errorClass === 'retryable' || err.errorClass === 'rate_limited';
    if (retry && !isLastAttempt) {
      log.info({ errorClass: err.errorClass, providerCode: err.providerCode, retryAfterMs: err.retryAfterMs }, 'send failed; will retry');
      const mine = await recordRetrying(deps.pool, claim.id, details);
      if (!mine) return 'skipped';
      // BullMQ's backoffStrategy reads retryAfterMs off this very error.
      throw err;
    }
    const reason = retry ? 'retries_exhausted' : `provider_${err.errorClass}`;
    log.warn({ errorClass: err.errorClass, providerCode: err.providerCode, attempts: claim.attempts, reason }, 'send failed for good');
    await recordFailed(deps.pool, claim.id, { ...details, reason });
    await completeCampaignIfDone(deps.pool, claim.campaignId);
    return 'failed';
  }

  async function handleMiss(job: SendJob, token: string | undefined, recipientId: string, log: Logger): Promise<SendOutcome> {
    const miss = await explainClaimMiss(deps.pool, recipientId);
    if (miss.kind === 'lease-live' && token) {
      // An earlier run of this job may still be mid-call: come back when its lease has run out.
      // DelayedError does not consume an attempt.
      log.info({ leaseRemainingMs: miss.leaseRemainingMs }, 'recipient leased by an earlier run; delaying');
      await job.moveToDelayed(Date.now() + miss.leaseRemainingMs + 50, token);
      throw new DelayedError();
    }
    log.debug({ miss }, 'recipient not claimable; nothing to do');
    return 'skipped';
  }
}
