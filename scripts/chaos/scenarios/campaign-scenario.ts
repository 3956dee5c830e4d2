/**
 * The shape every campaign scenario shares: fresh stack → campaign → fault (concurrently) → wait
 * for every recipient to be final → audit the ledger against the simulator → stop the stack.
 * A scenario passes when nothing is lost, nothing is sent twice, and it finished in time.
 */
import { auditCampaign } from '../ledger-check.js';
import { createRunningCampaign, waitForFinish, type CampaignRun } from '../campaign-run.js';
import { startStack, type Stack } from '../infra/stack.js';
import type { ScenarioContext, ScenarioResult } from './scenario.js';

export interface FaultRun {
  stack: Stack;
  run: CampaignRun;
  /** True once every recipient is final (or the deadline passed): fault loops stop then. */
  done(): boolean;
  note(message: string): void;
}

export interface CampaignScenarioOptions {
  /** The fault-free run: any recipient not sent is a failure there. */
  requireAllSent?: boolean;
}

export async function runCampaignScenario(
  ctx: ScenarioContext,
  name: string,
  inject: (f: FaultRun) => Promise<void>,
  options: CampaignScenarioOptions = {},
): Promise<ScenarioResult> {
  const began = Date.now();
  const notes: string[] = [];
  const stack = await startStack(ctx.infra, name);
  try {
    const run = await createRunningCampaign(stack, ctx.numbers);
    let finished = false;
    const faulting = inject({ stack, run, done: () => finished, note: (m) => notes.push(m) }).catch((err: unknown) => {
      notes.push(`fault injection failed: ${(err as Error).message}`);
    });
    const finishMs = await waitForFinish(stack, run, ctx.timeoutMs);
    finished = true;
    await faulting;
    // Let anything still in flight land, so a late double shows up in the audit.
    await new Promise((r) => setTimeout(r, 2_000));
    const audit = await auditCampaign(stack, run.id);
    const crashes = Object.values(stack.crashes()).flat().length;
    for (const [proc, exits] of Object.entries(stack.crashes())) notes.push(`${proc} exited unexpectedly ${exits.length}× (restarted)`);
    if (finishMs === undefined) notes.push(`not finished after ${ctx.timeoutMs / 1000} s`);
    for (const [kind, ids] of Object.entries(audit.examples)) notes.push(`${kind}: e.g. ${ids.join(', ')}`);
    for (const [why, n] of Object.entries(audit.failedBy)) notes.push(`failed ${n}× (${why || 'no reason'})`);
    if (audit.unfinishedWithoutJob > 0) notes.push(`${audit.unfinishedWithoutJob} unfinished recipients have no send job in Redis (stranded until the reconciler's sweep finds them)`);
    if (audit.stalledOut > 0) notes.push(`≥${audit.stalledOut} send jobs failed "stalled more than allowable limit" (removed; removeOnFail)`);
    if (audit.hung.before + audit.hung.after > 0) notes.push(`hung by the proxy: ${audit.hung.before} before the provider, ${audit.hung.after} after it accepted`);
    if (audit.messageIdMismatches > 0) notes.push(`${audit.messageIdMismatches} sent rows carry another provider message id than the accepted send`);
    const allSent = (audit.byStatus.sent ?? 0) === audit.recipients;
    if (options.requireAllSent && !allSent) notes.push('a fault-free run must send every recipient');
    const ok = audit.lost === 0 && audit.doubleSends === 0 && finishMs !== undefined && (allSent || !options.requireAllSent);
    return {
      name,
      status: ok ? 'pass' : 'fail',
      recipients: audit.recipients,
      lost: audit.lost,
      doubleSends: audit.doubleSends,
      duplicateKeyRequests: audit.duplicateKeyRequests,
      replays: audit.replays,
      finishMs,
      wallMs: Date.now() - began,
      crashes,
      notes,
      audit,
    };
  } finally {
    await stack.close();
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
