/**
 * "Resend to failed": a new campaign whose ledger is the source campaign's `failed` recipients
 * (number and variables), with the source's channel, content and delivery settings, linked back
 * through source_campaign_id. Created in one transaction — campaign row and ledger, or nothing —
 * then launched like a new campaign (immediately by default).
 *
 * Not copied: expires_at (the source's validity has usually passed — that may be why it failed;
 * give a new one in the body) and the phonebook link (the ledger is a copied list, so the new
 * campaign's recipient_type is `input`). The source must have ended (status-machine.ts says why).
 */
import { AppError } from '../../errors/index.js';
import { launchAfterCommit } from '../launch-enqueue.js';
import { planSend, type SendTypeInput } from '../send-schedule.js';
import { assertCanResendFailed, RESEND_FAILED_FROM, type CampaignStatus } from '../status-machine.js';
import { isUuid } from '../uuid.js';
import { checkExpiry } from './campaign-settings.js';
import { campaignNotFound } from './guarded-transition.js';
import { inTransaction } from './in-transaction.js';
import type { LifecycleDeps } from './lifecycle-deps.js';

export interface ResendFailedInput {
  name?: string;
  send_type?: SendTypeInput;
  send_time?: number;
  expires_at?: number;
}

export interface ResentCampaign {
  id: string;
  status: 'running' | 'scheduled' | 'draft';
  recipient_count: number;
  source_campaign_id: string;
}

const NAME_MAX = 500;
const NAME_SUFFIX = ' (resend to failed)';

const COPY_CAMPAIGN_SQL = `
INSERT INTO campaigns (channel_id, name, recipient_type, content_type, content, msg_param, send_type, send_time,
                       send_mode, assign_to_type, assign_to_id, status, launched_at, expires_at,
                       max_attempts, max_retry_seconds, message_tag, source_campaign_id)
SELECT channel_id, $2, 'input', content_type, content, msg_param, $3::"SendType", $4,
       send_mode, assign_to_type, assign_to_id, $5::"CampaignStatus", $6, $7,
       max_attempts, max_retry_seconds, message_tag, id
  FROM campaigns
 WHERE id = $1 AND status = ANY($8::"CampaignStatus"[])
RETURNING id`;

const COPY_FAILED_SQL = `
INSERT INTO campaign_recipients (campaign_id, number, variables)
SELECT $2, number, variables FROM campaign_recipients
 WHERE campaign_id = $1 AND status = 'failed'
 ORDER BY id`;

/**
 * @throws AppError CAMPAIGN_NOT_FOUND, CAMPAIGN_STATE_CONFLICT (source not ended), NO_RECIPIENTS
 *   (no failed recipient), SEND_TIME_INVALID, VALIDATION_FAILED (expires_at)
 */
export async function resendFailed(deps: LifecycleDeps, sourceId: string, input: ResendFailedInput): Promise<ResentCampaign> {
  if (!isUuid(sourceId)) throw campaignNotFound(sourceId);
  const { rows } = await deps.pool.query<{ status: CampaignStatus; name: string }>(
    'SELECT status, name FROM campaigns WHERE id = $1',
    [sourceId],
  );
  const source = rows[0];
  if (!source) throw campaignNotFound(sourceId);
  assertCanResendFailed(source.status, sourceId);

  const now = deps.now();
  const plan = planSend(input.send_type ?? 'immediately', input.send_time, now);
  const expiresAt = input.expires_at === undefined ? null : checkExpiry(input.expires_at, now, plan.status === 'scheduled' ? plan.sendTime : null);
  const name = input.name ?? `${source.name.slice(0, NAME_MAX - NAME_SUFFIX.length)}${NAME_SUFFIX}`;

  const created = await inTransaction(deps.pool, async (client) => {
    const inserted = await client.query<{ id: string }>(COPY_CAMPAIGN_SQL, [
      sourceId,
      name,
      plan.sendType,
      plan.sendTime,
      plan.status,
      plan.status === 'running' ? now : null,
      expiresAt,
      [...RESEND_FAILED_FROM],
    ]);
    const id = inserted.rows[0]?.id;
    // The source is in a terminal status, which nothing leaves; a miss means it was deleted.
    if (id === undefined) throw campaignNotFound(sourceId);
    const copied = await client.query(COPY_FAILED_SQL, [sourceId, id]);
    const count = copied.rowCount ?? 0;
    if (count === 0) {
      throw new AppError('NO_RECIPIENTS', `campaign ${sourceId} has no failed recipient to resend to`, { details: { source_campaign_id: sourceId } });
    }
    await client.query('UPDATE campaigns SET recipient_count = $2 WHERE id = $1', [id, count]);
    return { id, count };
  });

  deps.log.info({ campaignId: created.id, sourceCampaignId: sourceId, recipients: created.count, status: plan.status }, 'failed recipients resent as a new campaign');
  if (plan.status === 'running') await launchAfterCommit(deps, created.id, { now });
  else if (plan.status === 'scheduled') await launchAfterCommit(deps, created.id, { at: plan.sendTime!, now });
  return { id: created.id, status: plan.status, recipient_count: created.count, source_campaign_id: sourceId };
}
