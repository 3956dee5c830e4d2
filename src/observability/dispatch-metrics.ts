/**
 * The metrics of the send path, as typed methods the worker calls at fixed points (see each
 * method). Labels are closed sets — provider, channel kind, outcome, error class — never a
 * campaign, channel or recipient id: those would make a new series per campaign and the ledger
 * already answers per-campaign questions.
 *
 * Families (all prefixed campaign_dispatch_):
 * - sends_total{provider, channel_kind, outcome, content_kind}          counter
 * - provider_request_duration_seconds{provider, outcome}                histogram
 * - send_retries_total{provider, error_class}                           counter
 * - rate_limit_waits_total{limiter}, rate_limit_wait_seconds{limiter}   counter, histogram
 * - webhook_receipts_total{provider, status}                            counter
 *
 * The label types are spelled out here rather than imported from providers/ or webhooks/, so
 * observability depends on nothing above it; those modules' unions are assignable to these.
 */
import { Counter, Histogram, type Registry } from 'prom-client';
import { METRIC_PREFIX } from './metrics.js';

export type ProviderLabel = 'yeastar' | 'connectly';
export type ChannelKindLabel = 'sms' | 'whatsapp' | 'facebook';
/** How one send job ended: the recipient's new status, or `skipped` when there was nothing to send. */
export type SendOutcomeLabel = 'sent' | 'failed' | 'retrying' | 'skipped' | 'expired';
/** Which content went (or would have gone) out; `none` when the job ended before choosing. */
export type ContentKindLabel = 'session' | 'template' | 'none';
/** A provider error class (providers/types.ts ProviderErrorClass). */
export type ErrorClassLabel = 'retryable' | 'permanent' | 'window_closed' | 'auth' | 'rate_limited';
/** How a provider call ended: `success`, the class of a provider error, or `error` (a bug, a network failure the client did not classify). */
export type ProviderCallOutcome = 'success' | ErrorClassLabel | 'error';
/**
 * What made a send wait: the channel's rate, the provider account's, the gap between two sends to
 * one number, or the channel's open circuit breaker.
 */
export type LimiterKind = 'channel' | 'account' | 'pair' | 'breaker';
/** A webhook event: a receipt's status, an inbound message, an event we ignore, or a receipt matching no ledger row. */
export type WebhookStatusLabel = 'sent' | 'delivered' | 'read' | 'failed' | 'inbound' | 'ignored' | 'unmatched';

export interface SendLabels {
  provider: ProviderLabel;
  channelKind: ChannelKindLabel;
  outcome: SendOutcomeLabel;
  contentKind: ContentKindLabel;
}

export interface DispatchMetrics {
  /** One send job finished with this outcome (call once per job run that did not throw unexpectedly). */
  sendFinished(labels: SendLabels): void;
  /** A provider call took `durationMs` and ended with `outcome`. */
  providerCall(provider: ProviderLabel, outcome: ProviderCallOutcome, durationMs: number): void;
  /**
   * Runs a provider call, recording its duration and outcome (the `errorClass` of what it threw,
   * else `error`), and passes its result or error through unchanged.
   */
  timeProviderCall<T>(provider: ProviderLabel, call: () => Promise<T>): Promise<T>;
  /** A failed attempt will be retried (the recipient went `retrying`). */
  retryScheduled(provider: ProviderLabel, errorClass: ErrorClassLabel): void;
  /** A rate limiter held a send back for `waitMs` before it could go out. */
  rateLimitWaited(limiter: LimiterKind, waitMs: number): void;
  /**
   * A rate-limit admission went stale before its request could use it and was given back:
   * `acquire` — its acquire took longer than the write deadline allows; `write` — the process
   * stalled between the admission and the write (src/dispatch/admission.ts).
   */
  admissionStale(stage: 'acquire' | 'write'): void;
  /** A webhook event from a provider was accepted. */
  webhookReceived(provider: ProviderLabel, status: WebhookStatusLabel): void;
}

/** Provider calls: from a fast 25 ms answer to the 30 s a slow provider may take before a timeout. */
const PROVIDER_SECONDS_BUCKETS = [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
/** Limiter waits: a few ms at a channel's rate up to a minute behind a pair gap or a provider's Retry-After. */
const WAIT_SECONDS_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60];

const ERROR_CLASSES: ReadonlySet<string> = new Set<ErrorClassLabel>(['retryable', 'permanent', 'window_closed', 'auth', 'rate_limited']);

/** The outcome label for an error a provider call threw. */
export function providerCallOutcomeOf(err: unknown): ProviderCallOutcome {
  const errorClass = (err as { errorClass?: unknown } | null)?.errorClass;
  return typeof errorClass === 'string' && ERROR_CLASSES.has(errorClass) ? (errorClass as ErrorClassLabel) : 'error';
}

/**
 * Registers the send-path families on `registry` and returns the methods that feed them.
 * Call once per registry (prom-client refuses a second family of the same name).
 */
export function createDispatchMetrics(registry: Registry): DispatchMetrics {
  const registers = [registry];
  const sends = new Counter({
    name: `${METRIC_PREFIX}sends_total`,
    help: 'Send jobs finished, by provider, channel kind, outcome and content kind.',
    labelNames: ['provider', 'channel_kind', 'outcome', 'content_kind'] as const,
    registers,
  });
  const providerDuration = new Histogram({
    name: `${METRIC_PREFIX}provider_request_duration_seconds`,
    help: 'Duration of provider send calls, by provider and outcome.',
    labelNames: ['provider', 'outcome'] as const,
    buckets: PROVIDER_SECONDS_BUCKETS,
    registers,
  });
  const retries = new Counter({
    name: `${METRIC_PREFIX}send_retries_total`,
    help: 'Failed send attempts that will be retried, by provider and error class.',
    labelNames: ['provider', 'error_class'] as const,
    registers,
  });
  const waits = new Counter({
    name: `${METRIC_PREFIX}rate_limit_waits_total`,
    help: 'Sends a rate limiter or an open circuit held back, by limiter kind (channel, account, pair, breaker).',
    labelNames: ['limiter'] as const,
    registers,
  });
  const waitSeconds = new Histogram({
    name: `${METRIC_PREFIX}rate_limit_wait_seconds`,
    help: 'How long a rate limiter held a send back, by limiter kind.',
    labelNames: ['limiter'] as const,
    buckets: WAIT_SECONDS_BUCKETS,
    registers,
  });
  const stale = new Counter({
    name: `${METRIC_PREFIX}rate_limit_stale_admissions_total`,
    help: 'Rate-limit admissions given back unused because they went stale before the write, by stage (acquire, write).',
    labelNames: ['stage'] as const,
    registers,
  });
  const receipts = new Counter({
    name: `${METRIC_PREFIX}webhook_receipts_total`,
    help: 'Webhook events accepted, by provider and status.',
    labelNames: ['provider', 'status'] as const,
    registers,
  });

  const providerCall = (provider: ProviderLabel, outcome: ProviderCallOutcome, durationMs: number): void => {
    providerDuration.observe({ provider, outcome }, Math.max(0, durationMs) / 1000);
  };

  return {
    sendFinished(labels) {
      sends.inc({ provider: labels.provider, channel_kind: labels.channelKind, outcome: labels.outcome, content_kind: labels.contentKind });
    },
    providerCall,
    async timeProviderCall(provider, call) {
      const started = performance.now();
      try {
        const result = await call();
        providerCall(provider, 'success', performance.now() - started);
        return result;
      } catch (err) {
        providerCall(provider, providerCallOutcomeOf(err), performance.now() - started);
        throw err;
      }
    },
    retryScheduled(provider, errorClass) {
      retries.inc({ provider, error_class: errorClass });
    },
    rateLimitWaited(limiter, waitMs) {
      waits.inc({ limiter });
      waitSeconds.observe({ limiter }, Math.max(0, waitMs) / 1000);
    },
    admissionStale(stage) {
      stale.inc({ stage });
    },
    webhookReceived(provider, status) {
      receipts.inc({ provider, status });
    },
  };
}
