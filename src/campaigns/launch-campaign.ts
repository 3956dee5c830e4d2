/**
 * Launching a draft, or a scheduled campaign ahead of its time: the `launch` transition of the
 * status machine, applied in Postgres first (guarded on the status it was decided from, so two
 * concurrent launches — or a launch and a cancel — cannot both win), then the launch job is
 * enqueued.
 *
 * Launch numbers (see lifecycle/launch-jobs.ts): a draft launches as 0; a scheduled campaign
 * already has a delayed launch job (0, or its send_time in ms after a PATCH reschedule), so an
 * early launch uses 1, because a job id that already exists is ignored by BullMQ. The delayed job
 * is removed on a best-effort basis, and the launch worker ignores one that still fires for a
 * campaign that is no longer scheduled.
 *
 * A campaign found past its expires_at is not launched: it is marked expired, with its recipients,
 * and the caller gets 409 CAMPAIGN_EXPIRED.
 */
import type pg from 'pg';
import type { Logger } from '../observability/logger.js';
import type { PrismaClient } from '../db/prisma.js';
import type { Queues } from '../queue/queues.js';
import { launchAfterCommit } from './launch-enqueue.js';
import { hasExpired } from './lifecycle/campaign-settings.js';
import { campaignExpiredError, expireCampaign } from './lifecycle/expire-campaign.js';
import { applyTransition, campaignNotFound } from './lifecycle/guarded-transition.js';
import { EARLY_LAUNCH, FIRST_LAUNCH, removeDelayedLaunch } from './lifecycle/launch-jobs.js';
import { assertTransition } from './status-machine.js';
import { isUuid } from './uuid.js';

export interface LaunchCampaignDeps {
  prisma: PrismaClient;
  pool: pg.Pool;
  queues: Pick<Queues, 'launch'>;
  log: Logger;
  now: () => Date;
}

export interface LaunchedCampaign {
  id: string;
  status: 'running';
  launched_at: string;
}

/**
 * Moves a draft or scheduled campaign to running now and enqueues its launch.
 * @throws AppError CAMPAIGN_NOT_FOUND, CAMPAIGN_STATE_CONFLICT (details.status) from any other
 *   state, CAMPAIGN_EXPIRED when its expires_at has passed.
 */
export async function launchCampaign(deps: LaunchCampaignDeps, id: string): Promise<LaunchedCampaign> {
  if (!isUuid(id)) throw campaignNotFound(id);
  const current = await deps.prisma.campaign.findUnique({ where: { id }, select: { status: true, expiresAt: true } });
  if (!current) throw campaignNotFound(id);
  assertTransition(current.status, 'launch', id);

  const now = deps.now();
  if (hasExpired(current.expiresAt, now)) {
    await expireCampaign(deps.pool, id, { now, observed: current.status });
    deps.log.info({ campaignId: id, from: current.status }, 'launch after expires_at; campaign expired');
    throw campaignExpiredError(id, current.expiresAt!);
  }

  const moved = await applyTransition(deps.pool, { id, action: 'launch', observed: current.status, set: { launched_at: now } });
  const wasScheduled = moved.previousStatus === 'scheduled';
  if (wasScheduled) await removeDelayedLaunch(deps, id, moved.sendTime);
  await launchAfterCommit(deps, id, { now, launchNumber: wasScheduled ? EARLY_LAUNCH : FIRST_LAUNCH });
  deps.log.info({ campaignId: id, from: moved.previousStatus }, 'campaign launched');
  return { id, status: 'running', launched_at: now.toISOString() };
}
