/**
 * Launching a draft, or a scheduled campaign ahead of its time: the status moves to `running` in
 * Postgres first (a conditional update, so two concurrent launches cannot both win), then the
 * launch job is enqueued.
 *
 * A scheduled campaign already has a delayed launch job with launch number 0. An early launch uses
 * launch number 1, because a job id that already exists is ignored by BullMQ; the delayed job is
 * removed on a best-effort basis, and the launch worker ignores one that still fires for a
 * campaign that is no longer scheduled.
 */
import type { Logger } from '../observability/logger.js';
import type { PrismaClient } from '../db/prisma.js';
import type { Queues } from '../queue/queues.js';
import { AppError } from '../errors/index.js';
import { launchAfterCommit, removeScheduledLaunch } from './launch-enqueue.js';
import { isUuid } from './uuid.js';

export interface LaunchCampaignDeps {
  prisma: PrismaClient;
  queues: Pick<Queues, 'launch'>;
  log: Logger;
  now: () => Date;
}

export interface LaunchedCampaign {
  id: string;
  status: 'running';
  launched_at: string;
}

const LAUNCHABLE = ['draft', 'scheduled'] as const;

/**
 * Moves a draft or scheduled campaign to running now and enqueues its launch.
 * @throws AppError CAMPAIGN_NOT_FOUND, or CAMPAIGN_STATE_CONFLICT (details.status) from any other state.
 */
export async function launchCampaign(deps: LaunchCampaignDeps, id: string): Promise<LaunchedCampaign> {
  const notFound = () => new AppError('CAMPAIGN_NOT_FOUND', `no campaign with id ${id}`);
  if (!isUuid(id)) throw notFound();
  const current = await deps.prisma.campaign.findUnique({ where: { id }, select: { status: true } });
  if (!current) throw notFound();
  const conflict = (status: string) =>
    new AppError('CAMPAIGN_STATE_CONFLICT', `campaign ${id} is ${status}; only draft or scheduled campaigns can be launched`, {
      details: { status },
    });
  if (!(LAUNCHABLE as readonly string[]).includes(current.status)) throw conflict(current.status);

  const now = deps.now();
  // Conditional on the status we read: if another request launched (or cancelled) it meanwhile,
  // nothing is updated and we report the state it is in now.
  const { count } = await deps.prisma.campaign.updateMany({
    where: { id, status: current.status },
    data: { status: 'running', launchedAt: now },
  });
  if (count === 0) {
    const after = await deps.prisma.campaign.findUnique({ where: { id }, select: { status: true } });
    throw after ? conflict(after.status) : notFound();
  }

  const wasScheduled = current.status === 'scheduled';
  if (wasScheduled) await removeScheduledLaunch(deps, id);
  await launchAfterCommit(deps, id, { now, launchNumber: wasScheduled ? 1 : 0 });
  deps.log.info({ campaignId: id, from: current.status }, 'campaign launched');
  return { id, status: 'running', launched_at: now.toISOString() };
}
