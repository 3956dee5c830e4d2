/**
 * What the demo reports per campaign: the ledger's counts and timings from the API, and what the
 * provider simulator actually accepted. The check is the point of the demo: every recipient got
 * exactly one message, no more (no duplicate sends after retries) and no fewer.
 */
import { sentCount, type CampaignView } from './campaign-view.js';
import type { DemoCampaign } from './campaigns.js';

/** The part of a simulator handle the check needs. */
export interface AcceptedSendsSource {
  acceptedSends(): { to: string; idempotencyKey: string }[];
  /** Sends the simulator saw again under an idempotency key it had already accepted. */
  duplicateSends(): number;
}

export interface CampaignResult {
  label: string;
  recipients: number;
  sent: number;
  failed: number;
  /** Launch to finish, from the ledger's timestamps. */
  wallSeconds: number;
  startMs: number;
  endMs: number;
  simulator: {
    accepted: number;
    distinctIdempotencyKeys: number;
    /** Recipients the simulator accepted more than one message for (and how many extra). */
    duplicateRecipients: number;
    extraSends: number;
    /** Recipients the simulator accepted nothing for. */
    missing: number;
    /** Accepted sends to numbers outside the campaign. */
    strangers: number;
    /** Retries the simulator recognised by idempotency key and did not send again. */
    dedupedRetries: number;
  };
  /** Exactly one accepted send per recipient, and the ledger agrees. */
  exactlyOnce: boolean;
}

/** Digits only: providers differ on whether a number carries its '+'. */
const digits = (n: string) => n.replace(/\D/g, '');

function timeOf(value: string | null | undefined): number | undefined {
  if (!value) return undefined;
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : t;
}

export function campaignResult(campaign: DemoCampaign, view: CampaignView, simulator: AcceptedSendsSource, observedEndMs: number): CampaignResult {
  const accepted = simulator.acceptedSends();
  const perNumber = new Map<string, number>(campaign.numbers.map((n) => [digits(n), 0]));
  let strangers = 0;
  for (const send of accepted) {
    const key = digits(send.to);
    const seen = perNumber.get(key);
    if (seen === undefined) strangers++;
    else perNumber.set(key, seen + 1);
  }
  let duplicateRecipients = 0;
  let extraSends = 0;
  let missing = 0;
  for (const count of perNumber.values()) {
    if (count === 0) missing++;
    if (count > 1) {
      duplicateRecipients++;
      extraSends += count - 1;
    }
  }
  const distinctIdempotencyKeys = new Set(accepted.map((s) => s.idempotencyKey)).size;
  const sent = sentCount(view.counts);
  const startMs = timeOf(view.launched_at) ?? timeOf(view.started_at) ?? campaign.requestedAt.getTime();
  const endMs = timeOf(view.finished_at) ?? observedEndMs;
  const recipients = campaign.numbers.length;
  return {
    label: campaign.channel.label,
    recipients,
    sent,
    failed: view.counts.failed,
    wallSeconds: Math.max(0.001, (endMs - startMs) / 1000),
    startMs,
    endMs,
    simulator: {
      accepted: accepted.length,
      distinctIdempotencyKeys,
      duplicateRecipients,
      extraSends,
      missing,
      strangers,
      dedupedRetries: simulator.duplicateSends(),
    },
    exactlyOnce:
      view.status === 'completed' &&
      sent === recipients &&
      accepted.length === recipients &&
      distinctIdempotencyKeys === recipients &&
      missing === 0 &&
      extraSends === 0 &&
      strangers === 0,
  };
}
