/**
 * The send step: one recipient, one attempt. gates → claim → choose content → take rate-limit
 * room → send → record the outcome → maybe complete the campaign. The ledger row in Postgres is the
 * truth; the BullMQ job only carries ids and decides *when* an attempt runs.
 *
 * Exactly once under SIGKILL — what can and cannot send a recipient twice
 * - Every recipient is sent by one job (`r-<recipientId>`; BullMQ never holds two live jobs with one
 *   id) that first *claims* the row (pending/retrying → sending, 60 s lease) in a single guarded
 *   UPDATE that also checks the campaign is running. Every request for that recipient carries a
 *   deterministic idempotency key: `cd-<campaignId>-<recipientId>` for the campaign's own content,
 *   the same plus `-t` for a template sent in place of a session message (Yeastar request_id,
 *   Connectly message.id / callbackData).
 * - A worker SIGKILLed (its jobs are re-run by BullMQ's stalled check once their lock expires):
 *   1. before its claim committed: nothing happened; the re-run sends normally.
 *   2. after the claim, before the request left: the row stays `sending`; the re-run waits until
 *      the lease has ended (it cannot tell a dead worker from a slow one), reclaims, sends. Once.
 *   3. after the request left, before the outcome was written: as 2, and the re-send carries the
 *      same key, so a provider that deduplicates by key answers with the original message and
 *      sends nothing new; the ledger records the original message id. Both providers are assumed
 *      to deduplicate (UNVERIFIED, see the simulators); **at a provider that does not, this is the
 *      one window in which a recipient can receive the message twice** — it lasts one HTTP call.
 *   4. after the outcome was written: the re-run finds the row finished and does nothing.
 * - Without a crash, the same holds when a worker loses its lock (event loop frozen past the lock
 *   and the 60 s lease, or cut off from Redis mid-call): the re-run's send carries the same key.
 *   The provider HTTP client gives up well before the lease ends, so a merely slow provider
 *   cannot cause this.
 * - Different keys, hence no provider dedupe, only when the content switches between two attempts
 *   of one recipient: a session send whose outcome is unknown (timeout) and, on the retry, a
 *   template because the 24-hour window closed in between (or the reverse). Once a recipient has
 *   moved to the template, the ledger keeps `reason = 'window_closed'` and it never switches back.
 *   The in-run fallback (the provider refused the session message as outside the window, then the
 *   template goes) is not a double: the refused message was not sent.
 * - Never a double: a retry after a timeout or 5xx (same key); a job added twice (same job id, or a
 *   re-added job finds its row finished); two worker processes (the claim); pause / resume /
 *   reconciler re-enqueues (only `pending` / stranded rows are re-enqueued, and they are claimed).
 * - Rate limits under a crash: room taken by a send that then never happened is lost capacity,
 *   never excess.
 *
 * Order of the steps, and why: the circuit breaker and a first rate-limit check (peek) run before
 * the claim, so a send that must wait costs Redis only — no claim to write and release (a fresh
 * send on a channel that recently admitted far below its limits skips the peek: room-hint.ts). The
 * binding rate-limit admission (acquire) runs after the claim and content decision, with the
 * provider request already made and held at its socket: its bytes leave right after the admission,
 * by the admission's write deadline or not at all (admission.ts, providers/write-deadline.ts), so
 * what the provider counts matches what the limiter admitted; if it is refused there for longer
 * than a short in-place wait (another process took the room in between), the request is dropped
 * unwritten, the claim is released and the attempt not counted.
 *
 * Metrics: each run that ends the job records one `sends_total` outcome (a wait for the limiter,
 * the breaker or a lease is not an end; a scheduled retry is, as `retrying`).
 */
import type { Job } from 'bullmq';
import type pg from 'pg';
import type { DispatchMetrics, LimiterKind, SendOutcomeLabel } from '../observability/dispatch-metrics.js';
import type { Logger } from '../observability/logger.js';
import { lazyChild } from '../observability/lazy-child-logger.js';
import { sendLimits, throughputLimits } from '../policy/rate-limits.js';
import { isProviderError, type ProviderError } from '../providers/provider-error.js';
import type { ChannelSpec, ProviderClient, SendResult } from '../providers/types.js';
import type { SendJobPayload } from '../queue/names.js';
import type { Admission, RateLimiter } from '../queue/rate-limiter.js';
import { sendAdmitted } from './admission.js';
import { chooseFor, outboundMessage, type SendChoice } from './outbound-message.js';
import type { CircuitBreaker } from './circuit-breaker.js';
import { delayJob } from './job-delay.js';
import { explainClaimMiss, releaseClaim } from './recipient-claim.js';
import { recordExpired, recordRetrying } from './recipient-outcome.js';
import { finishSkipped, finishUnsendable, handleMiss, numberOf } from './send-endings.js';
import type { SendContext, SendContextCache } from './send-context.js';
import { createDirectSendLedger, type SendLedger } from './send-ledger.js';
import { createRoomHint } from './room-hint.js';
import { endedWithCampaign, handleProviderFailure } from './send-failure.js';

export type SendOutcome = SendOutcomeLabel;

export interface SendProcessorDeps {
  pool: pg.Pool;
  providers: { clientFor(channel: ChannelSpec): ProviderClient };
  contexts: SendContextCache;
  limiter: RateLimiter;
  breaker: CircuitBreaker;
  metrics: DispatchMetrics;
  log: Logger;
  /**
   * The per-send ledger statements (claim, recordSent, completion check); the worker's composition
   * root passes one that coalesces concurrent sends (send-ledger.ts). Default: one statement each.
   */
  ledger?: SendLedger;
  /** A claim's lease in seconds (default LEASE_SECONDS; tests shorten it). */
  leaseSeconds?: number;
  /**
   * Most time from asking the limiter for room to handing the request to the provider client
   * (admission.ts); default DEFAULT_MAX_ADMISSION_LAG_MS. Keep it well under the limiter's margin.
   */
  maxAdmissionLagMs?: number;
  /**
   * This processor serves the priority lane (one-off messages, src/queue/names.ts): its sends do
   * not take a place at the end of the limiter's line of waiting slots — they wait only until the
   * channel's window has room, as a slot holder does — so a reply is delayed by its channel's rate,
   * not by the campaign sends queued for that channel.
   */
  priorityLane?: boolean;
}

/** What the processor needs of a BullMQ job (a real Job satisfies it). */
export type SendJob = Pick<Job<SendJobPayload>, 'data' | 'attemptsMade' | 'attemptsStarted' | 'opts' | 'moveToDelayed' | 'updateData'>;

/** A slot handed out by the limiter stays this job's place in line while it is this recent. */
const SLOT_VALID_MS = 10_000;
/** Default of `maxAdmissionLagMs`: a third of the default limiter margin (the rest covers the provider's reading delay). */
export const DEFAULT_MAX_ADMISSION_LAG_MS = 10;

/** What one run learned, for its metrics. */
interface RunReport {
  context: SendContext | null;
  contentKind: 'session' | 'template' | 'none';
  retrying: boolean;
}

/** Creates the send job processor for a BullMQ Worker. */
export function createSendProcessor(deps: SendProcessorDeps): (job: SendJob, token?: string) => Promise<SendOutcome> {
  const moduleLog = deps.log.child({ module: 'send-recipient' });
  const maxLagMs = deps.maxAdmissionLagMs ?? DEFAULT_MAX_ADMISSION_LAG_MS;
  const ledger = deps.ledger ?? createDirectSendLedger(deps.pool);
  const roomHint = createRoomHint();

  return async function processSend(job, token) {
    const run: RunReport = { context: null, contentKind: 'none', retrying: false };
    try {
      const outcome = await attempt(job, token, run);
      finished(run, outcome);
      return outcome;
    } catch (err) {
      // A DelayedError after a scheduled retry ends this run as `retrying`; any other throw (a
      // wait, a bug) is not an outcome.
      if (run.retrying) finished(run, 'retrying');
      throw err;
    }
  };

  function finished(run: RunReport, outcome: SendOutcome): void {
    if (!run.context) return; // the campaign does not exist: no channel to label it with
    const { provider, kind } = run.context.channel;
    deps.metrics.sendFinished({ provider, channelKind: kind, outcome, contentKind: run.contentKind });
  }

  function waited(limiter: LimiterKind, ms: number): void {
    deps.metrics.rateLimitWaited(limiter, ms);
  }

  async function attempt(job: SendJob, token: string | undefined, run: RunReport): Promise<SendOutcome> {
    const { campaignId, recipientId } = job.data;
    let log = lazyChild(moduleLog, { campaignId, recipientId, attempt: job.attemptsStarted });

    let context = await deps.contexts.get(campaignId);
    if (context && context.status !== 'running') {
      // The cached status is up to a second old: ask Postgres before dropping the job.
      const miss = await explainClaimMiss(deps.pool, recipientId);
      run.context = context;
      if (miss.kind === 'gone' || miss.kind === 'campaign-not-running') return 'skipped';
      deps.contexts.invalidate(campaignId);
      context = await deps.contexts.get(campaignId);
    }
    run.context = context;
    if (!context) return 'skipped';

    if (context.expiresAt && context.expiresAt.getTime() <= Date.now() && (await recordExpired(deps.pool, recipientId))) {
      log.info('campaign past its expiry; recipient expired');
      await ledger.completeCampaignIfDone(campaignId);
      return 'expired';
    }

    // Gates that cost Redis only. A wait here re-schedules the job: no claim, no attempt spent.
    const gate = await deps.breaker.gate(context.channel.id);
    if (gate.kind === 'wait') {
      waited('breaker', gate.ms);
      return delayJob(job, token, gate.ms);
    }
    const probe = gate.kind === 'probe';
    let probeSettled = !probe;
    try {
      const number = job.data.number ?? (await numberOf(deps.pool, recipientId));
      if (number === null) return 'skipped';
      const limits = sendLimits(context.limits, number);
      const slotAt = job.data.limiterSlotAt;
      const reserved = deps.priorityLane === true || (slotAt !== undefined && Date.now() >= slotAt - 50 && Date.now() - slotAt < SLOT_VALID_MS);
      // A fresh send on a channel far below its limits skips the peek (room-hint.ts).
      const room = !reserved && roomHint.likelyRoom(limits, Date.now()) ? null : await deps.limiter.peek(limits, { reserved });
      if (room && !room.ok) {
        waited(room.refusedBy, room.waitMs);
        return await delayJob(job, token, room.waitMs, { limiterSlotAt: room.slotted ? Date.now() + room.waitMs : slotAt });
      }

      const previousRunEnded = job.attemptsStarted <= job.attemptsMade + 1;
      const claim = await ledger.claim(recipientId, { previousRunEnded, run: job.attemptsStarted, leaseSeconds: deps.leaseSeconds });
      if (!claim) return await handleMiss(deps.pool, job, token, recipientId, log);
      log = lazyChild(moduleLog, { campaignId, recipientId, attempt: claim.attempts });

      if (claim.suppressed) return await finishSkipped(deps.pool, claim, 'suppressed', log);
      const choice = chooseFor(context, claim, claim.reason === 'window_closed');
      if (choice.action !== 'send') return await finishUnsendable(deps.pool, claim, choice, log);

      const firstAttemptAt = claim.attempts === 1 || job.data.firstAttemptAt === undefined ? Date.now() : job.data.firstAttemptAt;
      const client = deps.providers.clientFor(context.channel);
      const provider = context.channel.provider;
      /** Admits then sends at once: no await between the admission and the provider call. */
      const sendAs = async (
        c: SendChoice,
        admitUnder: typeof limits,
      ): Promise<{ sent: SendResult } | { refused: { waitMs: number; refusedBy: LimiterKind } }> => {
        // Token fetches and the like happen before admission, never between it and the request.
        await client.prepare?.();
        const message = outboundMessage(context, claim, c);
        // The request is made first and held at its socket; the gate takes the rate-limit admission
        // and the bytes leave right after it, or not at all (admission.ts).
        const onAdmitted = (admission: Admission): void => roomHint.admitted(admitUnder, admission.tight, Date.now());
        const outcome = await sendAdmitted(deps.limiter, admitUnder, { maxLagMs, onStale: deps.metrics.admissionStale, onAdmitted }, (gate) => {
          run.contentKind = c.sentContent;
          return deps.metrics.timeProviderCall(provider, () => client.send(message, { gate }));
        }).catch(async (err: unknown) => {
          if (isProviderError(err)) await settleProbe(err.errorClass === 'retryable' ? 'fail' : 'ok');
          throw err;
        });
        if ('refused' in outcome) {
          roomHint.refused(admitUnder);
          return outcome;
        }
        await settleProbe('ok');
        return outcome;
      };
      const onRetry = (errorClass: ProviderError['errorClass']): void => {
        run.retrying = true;
        deps.metrics.retryScheduled(provider, errorClass);
      };
      const failed = (err: ProviderError, reason: 'window_closed' | null): Promise<SendOutcome> =>
        handleProviderFailure(deps, { err, job, token, claim, context, reason, firstAttemptAt, probe, log, onRetry });

      let sent: { result: SendResult; choice: typeof choice };
      try {
        const first = await sendAs(choice, limits);
        if ('refused' in first) {
          // Another process took the room between the peek and now: give the claim back, uncounted.
          waited(first.refused.refusedBy, first.refused.waitMs);
          const status = await releaseClaim(deps.pool, recipientId);
          if (status !== null && status !== 'pending' && status !== 'retrying') return endedWithCampaign(status, log);
          return await delayJob(job, token, first.refused.waitMs, { limiterSlotAt: Date.now() + first.refused.waitMs });
        }
        sent = { result: first.sent, choice };
      } catch (err) {
        if (!isProviderError(err)) throw err;
        const canFallBack = err.errorClass === 'window_closed' && choice.reason === null && !choice.tag;
        if (!canFallBack) return await failed(err, choice.reason);
        // The provider refused the session message as outside the window: fall back at once, in this
        // run and under this claim, to the template (WhatsApp) or the tagged message (Messenger).
        const fallback = chooseFor(context, claim, true);
        if (fallback.action !== 'send') return await finishUnsendable(deps.pool, claim, fallback, log);
        log.info({ providerCode: err.providerCode }, 'session message refused as outside the window; falling back');
        try {
          // A second request needs throughput room; the pair gap is not re-checked — the refused
          // request delivered nothing to the recipient.
          const again = await sendAs(fallback, throughputLimits(context.limits));
          if ('refused' in again) {
            // No room for the template now: keep the decision in the ledger and come back (a free
            // attempt: the refused session request was not the recipient's failure).
            waited(again.refused.refusedBy, again.refused.waitMs);
            const status = await recordRetrying(deps.pool, claim.id, { code: err.providerCode, message: err.providerMessage }, { reason: 'window_closed' });
            if (status === null) return 'skipped';
            if (status !== 'retrying') return endedWithCampaign(status, log);
            onRetry(err.errorClass);
            return await delayJob(job, token, again.refused.waitMs, {
              firstAttemptAt,
              freeAttempts: (job.data.freeAttempts ?? 0) + 1,
              limiterSlotAt: Date.now() + again.refused.waitMs,
            });
          }
          sent = { result: again.sent, choice: fallback };
        } catch (fallbackErr) {
          if (!isProviderError(fallbackErr)) throw fallbackErr;
          return await failed(fallbackErr, 'window_closed');
        }
      }

      const { providerMessageId } = sent.result;
      const mine = await ledger.recordSent(recipientId, { providerMessageId, sentContent: sent.choice.sentContent, reason: sent.choice.reason });
      if (!mine) log.warn({ providerMessageId }, 'sent, but another run had already recorded this recipient');
      await ledger.completeCampaignIfDone(campaignId);
      return 'sent';
    } finally {
      // A probe that ended without a provider answer (a wait, a skip, a bug) gives the lock back.
      if (!probeSettled) await deps.breaker.releaseProbe(context.channel.id).catch(() => undefined);
    }

    async function settleProbe(outcome: 'ok' | 'fail'): Promise<void> {
      await deps.breaker.record(context!.channel.id, outcome, probe);
      probeSettled = true;
    }
  }
}
