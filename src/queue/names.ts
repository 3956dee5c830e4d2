/**
 * Terminology
 * - launch job: one per campaign launch; reads the campaign's pending recipients from Postgres in
 *   id order and enqueues a send job for each (the fan-out). Scheduled campaigns are one delayed
 *   launch job.
 * - send job: one per recipient; claims the recipient in Postgres, sends, records the outcome.
 * - lane: which send queue a send job waits in. Campaign recipients wait in `send`; a one-off
 *   message (POST /v1/messages) waits in `send-priority`, which every worker process serves with a
 *   Worker of its own running the same processor (same claim, limits and ledger). A separate queue
 *   rather than a BullMQ priority: BullMQ takes jobs *without* a priority before prioritized ones,
 *   and a priority on every campaign job would cost an O(log n) insert each; with two queues a
 *   reply never waits behind a million queued campaign jobs, only for its channel's rate limit.
 * Job payloads carry ids only: Postgres is the source of truth.
 */
export const LAUNCH_QUEUE = 'campaign-launch';
export const SEND_QUEUE = 'send';
export const PRIORITY_SEND_QUEUE = 'send-priority';

/** The lane of a campaign row's send jobs, by its kind (campaigns.kind). */
export type SendLane = 'campaign' | 'message';

export interface LaunchJobData {
  campaignId: string;
}

export interface SendJobData {
  campaignId: string;
  /** The recipient row id (a bigint, as a decimal string). */
  recipientId: string;
}

/**
 * What a send job carries besides its ids. All optional: a job added without them (an older
 * producer, the reconciler) works, at the cost of a lookup or a reset clock.
 * - number: the recipient's number, for the pair rate limit *before* the claim (the fan-out reads
 *   it with the id, so the check costs no database read);
 * - limiterSlotAt: the job is waiting for a slot the rate limiter handed it (src/queue/rate-limiter.ts);
 * - firstAttemptAt / freeAttempts: the recipient's retry budget across runs (policy/retry-decision.ts).
 */
export interface SendJobPayload extends SendJobData {
  number?: string;
  limiterSlotAt?: number;
  firstAttemptAt?: number;
  freeAttempts?: number;
}

/** BullMQ job ids may not contain ':' nor be all digits, so each carries a letter prefix. */
export function launchJobId(campaignId: string, launchNumber = 0): string {
  return `launch-${campaignId}-${launchNumber}`;
}

export function sendJobId(recipientId: string | bigint): string {
  return `r-${recipientId}`;
}
