/**
 * Putting a stored one-off message in the priority lane (src/queue/names.ts), after its commit.
 *
 * Order, and why: the message is stored `running` with `fan_out_completed_at` null; its send job is
 * added; then the fan-out is marked done and the message completed if its send already finished —
 * a send that ends before the mark cannot complete it (completion waits for the mark), so this step
 * must try. If Redis fails here the request still succeeds: the message is in Postgres, and the
 * reconciler launches any running campaign row whose fan-out is not done — the fan-out routes a
 * message's job to the priority lane too. A replayed request runs this again for a message whose
 * first enqueue did not finish; the job id is fixed (`r-<recipientId>`), so that adds nothing twice.
 */
import type { Queue } from 'bullmq';
import type pg from 'pg';
import { completeCampaignIfDone } from '../dispatch/campaign-completion.js';
import { sendJobOptions } from '../dispatch/send-job-options.js';
import { bounded } from '../campaigns/launch-enqueue.js';
import type { Logger } from '../observability/logger.js';
import { enqueueLaunch, type Queues } from '../queue/queues.js';
import type { SendJobPayload } from '../queue/names.js';

export interface EnqueueMessageDeps {
  pool: pg.Pool;
  /** `priority`: the lane; without it (a process built without that queue) the launch path is used. */
  queues: Pick<Queues, 'launch'> & { priority?: Pick<Queue<SendJobPayload>, 'add'> };
  log: Logger;
}

/** @returns whether the send job is known to be enqueued. */
export async function enqueueMessage(deps: EnqueueMessageDeps, message: { campaignId: string; recipientId: string; number: string }): Promise<boolean> {
  const { campaignId, recipientId, number } = message;
  try {
    const add: Promise<unknown> = deps.queues.priority
      ? deps.queues.priority.add('send', { campaignId, recipientId, number }, sendJobOptions(recipientId))
      : enqueueLaunch(deps.queues, campaignId);
    await bounded(add);
  } catch (err) {
    deps.log.warn({ err, campaignId }, 'message send job not enqueued; it is stored, and the reconciler will launch it');
    return false;
  }
  if (!deps.queues.priority) return true; // the fan-out marks and completes it
  await deps.pool.query(
    `UPDATE campaigns SET fan_out_completed_at = now(), enqueue_cursor = GREATEST(enqueue_cursor, $2::bigint), updated_at = now()
      WHERE id = $1 AND fan_out_completed_at IS NULL`,
    [campaignId, recipientId],
  );
  await completeCampaignIfDone(deps.pool, campaignId);
  return true;
}
