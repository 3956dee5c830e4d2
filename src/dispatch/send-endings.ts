/**
 * The send step's endings that involve no provider call: a recipient skipped by rule, content that
 * cannot be rendered, a claim that found nothing to do. Each writes its outcome (guarded by
 * `sending`, recipient-outcome.ts) and lets the campaign complete if that was its last recipient.
 */
import type { Job } from 'bullmq';
import type pg from 'pg';
import type { Logger } from '../observability/logger.js';
import type { ContentChoice } from '../policy/choose-content.js';
import type { SendJobPayload } from '../queue/names.js';
import { completeCampaignIfDone } from './campaign-completion.js';
import { delayJob } from './job-delay.js';
import { explainClaimMiss, type ClaimedRecipient } from './recipient-claim.js';
import { recordFailed, recordSkipped } from './recipient-outcome.js';

/** sending → skipped (suppressed, or no content allowed outside the window). */
export async function finishSkipped(pool: pg.Pool, claim: ClaimedRecipient, reason: string, log: Logger): Promise<'skipped'> {
  log.info({ reason }, 'recipient skipped');
  await recordSkipped(pool, claim.id, reason);
  await completeCampaignIfDone(pool, claim.campaignId);
  return 'skipped';
}

/** A content decision other than "send": skipped by rule, or failed because it cannot be rendered. */
export async function finishUnsendable(
  pool: pg.Pool,
  claim: ClaimedRecipient,
  choice: Exclude<ContentChoice, { action: 'send' }>,
  log: Logger,
): Promise<'skipped' | 'failed'> {
  if (choice.action === 'skip') return finishSkipped(pool, claim, choice.reason, log);
  log.warn({ reason: choice.message }, 'content cannot be rendered; recipient failed');
  await recordFailed(pool, claim.id, { code: 'CONTENT_INVALID', message: choice.message, reason: choice.reason });
  await completeCampaignIfDone(pool, claim.campaignId);
  return 'failed';
}

/**
 * The claim matched nothing. An earlier run of this job may still hold the row mid-call: then come
 * back when its lease has run out (a wait, not an outcome: throws DelayedError). Otherwise the row
 * is finished or its campaign is not running: nothing to do.
 */
export async function handleMiss(
  pool: pg.Pool,
  job: Pick<Job<SendJobPayload>, 'data' | 'moveToDelayed' | 'updateData'>,
  token: string | undefined,
  recipientId: string,
  log: Logger,
): Promise<'skipped'> {
  const miss = await explainClaimMiss(pool, recipientId);
  if (miss.kind === 'lease-live' && token) {
    log.info({ leaseRemainingMs: miss.leaseRemainingMs }, 'recipient leased by an earlier run; delaying');
    return delayJob(job, token, miss.leaseRemainingMs + 50);
  }
  log.debug({ miss }, 'recipient not claimable; nothing to do');
  return 'skipped';
}

/** The recipient's number, for a job enqueued without it (an older producer). */
export async function numberOf(pool: pg.Pool, recipientId: string): Promise<string | null> {
  const { rows } = await pool.query<{ number: string }>('SELECT number FROM campaign_recipients WHERE id = $1', [recipientId]);
  return rows[0]?.number ?? null;
}
