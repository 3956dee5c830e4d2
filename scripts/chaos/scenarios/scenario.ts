/**
 * Terminology
 * - scenario: one fault against a fresh stack and one campaign (or one upload); ends with an audit.
 * - baseline: the same campaign with no fault; every scenario's time is compared with it.
 * - result: what the table prints. `not run` carries why; a scenario never reports numbers it did
 *   not measure.
 */
import type { LedgerAudit } from '../ledger-check.js';
import type { ChaosInfra } from '../infra/stack.js';

export interface ScenarioContext {
  infra: ChaosInfra;
  numbers: string[];
  /** How long a fault lasts (the issue says 30 s; development runs shorten it). */
  faultMs: number;
  /** Rows of the CSV upload scenario. */
  uploadRows: number;
  /** How long a campaign may take before its unfinished recipients count as lost. */
  timeoutMs: number;
  say(message: string): void;
}

export interface ScenarioResult {
  name: string;
  status: 'pass' | 'fail' | 'not run';
  recipients: number;
  lost?: number;
  doubleSends?: number;
  duplicateKeyRequests?: number;
  /** Of those, requests whose key the provider had already accepted (answered from its memory). */
  replays?: number;
  /** Launch to last final outcome; undefined when it did not finish. */
  finishMs?: number;
  /** Whole scenario wall time, set-up and audit included. */
  wallMs?: number;
  /** Exits of our processes we did not cause. */
  crashes?: number;
  notes: string[];
  audit?: LedgerAudit;
}

export interface Scenario {
  name: string;
  /** One line: what is done to the system. */
  fault: string;
  run(ctx: ScenarioContext): Promise<ScenarioResult>;
}
