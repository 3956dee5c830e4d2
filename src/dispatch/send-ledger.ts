/**
 * The ledger statements the send path runs on every send — claim, recordSent, the completion check —
 * as a dependency of the send processor, so a worker process can coalesce its ~200 concurrent sends
 * into a few statements (src/db/statement-batcher.ts) while each send still gets exactly its own
 * answer. Built once per worker process in its composition root (workers/runtime.ts) and drained
 * there on shutdown.
 *
 * Terminology
 * - batched: one statement for the claims (or sent outcomes) that arrived together, each row under
 *   its own guards and options; a caller's promise settles only after that statement committed, and
 *   a failing statement fails every caller in it (their jobs retry as after any Postgres error).
 * - contended: a row the batch left alone because another transaction held it (the batch never
 *   waits for a row lock) or because the same recipient was twice in one batch; it is then written
 *   alone with today's single-row statement, after the batch.
 * - coalesced check: the campaign-completion check, at most one in flight per process, each call
 *   answered by a check that began after it (campaign-completion.ts, coalescedCompletion).
 */
import type pg from 'pg';
import { createStatementBatcher, type StatementBatcher } from '../db/statement-batcher.js';
import { coalescedCompletion, completeCampaignIfDone } from './campaign-completion.js';
import { claimRecipient, claimRecipients, type BatchedClaim, type ClaimedRecipient, type ClaimOptions, type ClaimRequest } from './recipient-claim.js';
import { recordSent, recordSentBatch, type BatchedWrite, type SentContentKind, type SentRequest } from './recipient-outcome.js';

export interface SendLedger {
  /** claimRecipient: the row claimed, or null when it is not claimable. */
  claim(recipientId: string, options: ClaimOptions): Promise<ClaimedRecipient | null>;
  /** recordSent: false when the row was not ours any more. */
  recordSent(recipientId: string, sent: { providerMessageId: string; sentContent: SentContentKind; reason?: string | null }): Promise<boolean>;
  /** completeCampaignIfDone, by a check that began after this call. */
  completeCampaignIfDone(campaignId: string): Promise<boolean>;
  /** Runs every statement already asked for, then refuses new ones. */
  close(): Promise<void>;
}

export interface BatchedSendLedgerOptions {
  /** Most rows per statement (default 200). */
  maxBatch?: number;
  /** How long a lone call waits for company (default 1 ms). */
  lingerMs?: number;
  /** Replaces the linger timer (tests: decide when batches start). */
  schedule?(flush: () => void): void;
}

/** One statement per call: the priority lane (few sends, each wants the shortest path) and tests. */
export function createDirectSendLedger(pool: pg.Pool): SendLedger {
  return {
    claim: (recipientId, options) => claimRecipient(pool, recipientId, options),
    recordSent: (recipientId, sent) => recordSent(pool, recipientId, sent),
    completeCampaignIfDone: (campaignId) => completeCampaignIfDone(pool, campaignId),
    close: async () => undefined,
  };
}

/** Coalesces the send path's statements of one process (see the module comment). */
export function createBatchedSendLedger(pool: pg.Pool, options: BatchedSendLedgerOptions = {}): SendLedger {
  const claims: StatementBatcher<ClaimRequest, BatchedClaim> = createStatementBatcher({
    name: 'claim',
    ...options,
    run: (requests) => claimRecipients(pool, requests),
  });
  const sent: StatementBatcher<SentRequest, BatchedWrite> = createStatementBatcher({
    name: 'record-sent',
    ...options,
    run: (requests) => recordSentBatch(pool, requests),
  });
  const completion = coalescedCompletion(pool, { lingerMs: options.lingerMs, schedule: options.schedule });

  return {
    async claim(recipientId, claimOptions) {
      const result = await claims.submit({ recipientId, ...claimOptions });
      return result.kind === 'done' ? result.claim : claimRecipient(pool, recipientId, claimOptions);
    },
    async recordSent(recipientId, outcome) {
      const result = await sent.submit({ recipientId, ...outcome });
      return result.kind === 'done' ? result.mine : recordSent(pool, recipientId, outcome);
    },
    completeCampaignIfDone: (campaignId) => completion.check(campaignId),
    async close() {
      // A write that settles lets its caller ask for a completion check a few microtasks later, so
      // drain until all three are idle across a full turn of the event loop, and only then refuse.
      const all = [claims, sent, completion];
      do {
        await Promise.all(all.map((b) => b.drain()));
        await new Promise<void>((resolve) => setImmediate(resolve));
      } while (all.some((b) => b.size > 0));
      await Promise.all(all.map((b) => b.close()));
    },
  };
}
