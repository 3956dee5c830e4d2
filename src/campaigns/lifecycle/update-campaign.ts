/**
 * PATCH /v1/campaigns/:id for draft and scheduled campaigns: read the row, plan (update-plan.ts),
 * apply the plan guarded on the status it was planned from — a campaign launched or cancelled
 * meanwhile makes the update match nothing and the caller gets 409 — then move the delayed launch
 * job: remove the old one (best effort) and enqueue the new one under a new launch number.
 */
import { AppError } from '../../errors/index.js';
import type { PrismaClient } from '../../db/prisma.js';
import { getCampaign } from '../campaign-queries.js';
import type { CampaignView } from '../campaign-view.js';
import { launchAfterCommit } from '../launch-enqueue.js';
import { isUuid } from '../uuid.js';
import { applyTransition, campaignNotFound } from './guarded-transition.js';
import { removeDelayedLaunch, scheduledLaunchNumber } from './launch-jobs.js';
import { lifecycleFields, type LifecycleFields } from './lifecycle-fields.js';
import type { LifecycleDeps } from './lifecycle-deps.js';
import { planUpdate, type CurrentCampaign, type UpdateCampaignInput } from './update-plan.js';

export type UpdatedCampaign = CampaignView & LifecycleFields;

/**
 * @throws AppError CAMPAIGN_NOT_FOUND, CAMPAIGN_STATE_CONFLICT, and the validation errors of
 *   planUpdate.
 */
export async function updateCampaign(
  deps: LifecycleDeps & { prisma: PrismaClient },
  id: string,
  input: UpdateCampaignInput,
): Promise<UpdatedCampaign> {
  if (!isUuid(id)) throw campaignNotFound(id);
  const row = await deps.prisma.campaign.findUnique({ where: { id }, include: { channel: { select: { kind: true } } } });
  if (!row) throw campaignNotFound(id);
  if (row.contentType === 'interactive') {
    // Rich message objects are validated per provider kind on create; PATCH covers the seed-001 kinds.
    throw new AppError('VALIDATION_FAILED', 'a campaign with interactive content cannot be edited; create a new one', {
      field: 'content_type',
    });
  }
  const current: CurrentCampaign = {
    id,
    status: row.status,
    sendType: row.sendType,
    sendTime: row.sendTime,
    expiresAt: row.expiresAt,
    contentType: row.contentType,
    content: row.content,
    msgParam: row.msgParam,
    channelKind: row.channel.kind,
  };
  const now = deps.now();
  const plan = planUpdate(current, input, now);
  await applyTransition(deps.pool, { id, action: plan.action, observed: row.status, set: plan.set });

  if (plan.launch.removeFor) await removeDelayedLaunch(deps, id, plan.launch.removeFor.sendTime);
  if (plan.launch.enqueueAt) {
    const at = plan.launch.enqueueAt;
    await launchAfterCommit(deps, id, { at, now, launchNumber: scheduledLaunchNumber(at) });
  }
  deps.log.info({ campaignId: id, action: plan.action, fields: Object.keys(plan.set) }, 'campaign updated');

  const [view, updated] = await Promise.all([getCampaign(deps.prisma, id, now), deps.prisma.campaign.findUniqueOrThrow({ where: { id } })]);
  return { ...view, ...lifecycleFields(updated) };
}
