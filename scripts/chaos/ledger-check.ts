/**
 * The end-of-scenario audit: our ledger (Postgres) against what the provider received (the
 * simulator's log), recipient by recipient.
 * - lost = recipients without a final outcome at the deadline
 *        + recipients the provider accepted but the ledger does not call `sent` (an outcome lost)
 *        + recipients the ledger calls `sent` that the provider never accepted (a phantom send).
 *   Must be 0: every accepted recipient ends with exactly one true outcome.
 * - double sends = numbers for which the provider accepted two sends with different keys (the
 *   recipient's phone got two messages). Must be 0.
 * - duplicate-key requests = send requests repeating a key already sent (a retry or re-run that the
 *   provider answered from its idempotency memory). Allowed; reported: it is how often we leaned on
 *   provider deduplication, the one thing a non-deduplicating provider would turn into a double.
 * - replays = the subset of those whose key the provider had already *accepted*: without its
 *   deduplication each would have been a second message.
 * - message-id mismatches = `sent` rows whose provider_message_id is not the accepted send's id.
 */
import { Redis } from 'ioredis';
import { sendJobId } from '../../src/queue/names.js';
import type { Stack } from './infra/stack.js';
import { FINAL_STATUSES } from './campaign-run.js';

export interface LedgerAudit {
  recipients: number;
  byStatus: Record<string, number>;
  unfinished: number;
  /** Unfinished recipients whose send job no longer exists in Redis: only the reconciler can save them. */
  unfinishedWithoutJob: number;
  /** BullMQ 'failed' events saying "job stalled more than allowable limit" (the events stream is capped: a lower bound). */
  stalledOut: number;
  acceptedNotSent: number;
  sentNotAccepted: number;
  lost: number;
  doubleSends: number;
  duplicateKeyRequests: number;
  replays: number;
  sendRequests: number;
  messageIdMismatches: number;
  hung: { before: number; after: number };
  /** Failed recipients by `reason / last_error_code`: a fault-free run must have none. */
  failedBy: Record<string, number>;
  /** A few offending recipient ids per kind, as evidence. */
  examples: Record<string, string[]>;
}

export async function auditCampaign(stack: Stack, campaignId: string): Promise<LedgerAudit> {
  const { rows } = await stack.pool.query<{ id: string; number: string; status: string; provider_message_id: string | null; why: string }>(
    `SELECT id::text, number, status::text, provider_message_id, concat_ws(' / ', reason, last_error_code) AS why
       FROM campaign_recipients WHERE campaign_id = $1`,
    [campaignId],
  );
  const provider = await stack.sim.ledger(`cd-${campaignId}-`);
  const acceptedByRecipient = new Map<string, { key: string; messageId: string }[]>();
  const acceptedByNumber = new Map<string, Set<string>>();
  for (const a of provider.accepted) {
    const recipientId = a.key.slice(`cd-${campaignId}-`.length).replace(/-t$/, '');
    acceptedByRecipient.set(recipientId, [...(acceptedByRecipient.get(recipientId) ?? []), a]);
    const keys = acceptedByNumber.get(a.to) ?? new Set<string>();
    keys.add(a.key);
    acceptedByNumber.set(a.to, keys);
  }

  const examples: Record<string, string[]> = {};
  const note = (kind: string, id: string): void => {
    const list = (examples[kind] ??= []);
    if (list.length < 5) list.push(id);
  };
  const byStatus: Record<string, number> = {};
  const failedBy: Record<string, number> = {};
  let unfinished = 0;
  let acceptedNotSent = 0;
  let sentNotAccepted = 0;
  let messageIdMismatches = 0;
  for (const r of rows) {
    byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
    if (r.status === 'failed') failedBy[r.why] = (failedBy[r.why] ?? 0) + 1;
    const accepted = acceptedByRecipient.get(r.id) ?? [];
    if (!(FINAL_STATUSES as readonly string[]).includes(r.status)) {
      unfinished++;
      note(`unfinished (${r.status})`, r.id);
    } else if (r.status === 'sent' && accepted.length === 0) {
      sentNotAccepted++;
      note('sent, never accepted', r.id);
    } else if (r.status !== 'sent' && accepted.length > 0) {
      acceptedNotSent++;
      note(`accepted, ledger ${r.status}`, r.id);
    }
    if (r.status === 'sent' && accepted.length > 0 && !accepted.some((a) => a.messageId === r.provider_message_id)) {
      messageIdMismatches++;
      note('message id mismatch', r.id);
    }
  }
  const unfinishedIds = rows.filter((r) => !(FINAL_STATUSES as readonly string[]).includes(r.status)).map((r) => r.id);
  const queue = await inspectQueue(stack, unfinishedIds);
  if (queue.withoutJob.length > 0) examples['unfinished, no job in Redis'] = queue.withoutJob.slice(0, 5);
  let doubleSends = 0;
  for (const [number, keys] of acceptedByNumber) {
    if (keys.size > 1) {
      doubleSends++;
      note('double send (number)', number);
    }
  }
  const duplicateKeyRequests = Object.values(provider.requestsByKey).reduce((sum, n) => sum + (n - 1), 0);
  return {
    recipients: rows.length,
    byStatus,
    unfinished,
    unfinishedWithoutJob: queue.withoutJob.length,
    stalledOut: queue.stalledOut,
    acceptedNotSent,
    sentNotAccepted,
    lost: unfinished + acceptedNotSent + sentNotAccepted,
    doubleSends,
    duplicateKeyRequests,
    replays: provider.replays,
    sendRequests: provider.sendRequests,
    messageIdMismatches,
    hung: { before: provider.proxy.hungBefore, after: provider.proxy.hungAfter },
    failedBy,
    examples,
  };
}

/** Which of `recipientIds` have no send job in Redis any more, and how many jobs stalled out. */
async function inspectQueue(stack: Stack, recipientIds: string[]): Promise<{ withoutJob: string[]; stalledOut: number }> {
  const redis = new Redis(stack.infra.redis.url, { maxRetriesPerRequest: 2 });
  redis.on('error', () => undefined);
  try {
    const withoutJob: string[] = [];
    for (let i = 0; i < recipientIds.length; i += 1_000) {
      const batch = recipientIds.slice(i, i + 1_000);
      const pipeline = redis.pipeline();
      for (const id of batch) pipeline.exists(`${stack.queuePrefix}:send:${sendJobId(id)}`);
      const answers = (await pipeline.exec()) ?? [];
      answers.forEach(([, exists], j) => exists === 0 && withoutJob.push(batch[j]!));
    }
    let stalledOut = 0;
    const events = (await redis.xrange(`${stack.queuePrefix}:send:events`, '-', '+')) as [string, string[]][];
    for (const [, fields] of events) if (fields.includes('job stalled more than allowable limit')) stalledOut++;
    return { withoutJob, stalledOut };
  } finally {
    redis.disconnect();
  }
}
