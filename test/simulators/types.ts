/**
 * Terminology
 * - simulator: a real node:http server standing in for a provider in tests and the demo. It
 *   validates requests the way the real service does (as far as the seed pages and notes say),
 *   records everything, and can be scripted to fail.
 * - accepted send: a message the simulator took, the first time its idempotency key was seen.
 * - duplicate send: a request repeating the idempotency key of an accepted send; it gets the
 *   original answer again (our assumption about both real services) and sends nothing new.
 * - fault: a scripted answer (latency, failure, hang) that replaces the normal one.
 */

export interface RecordedRequest {
  at: number;
  method: string;
  path: string;
  /** The query string; `access_token` is redacted. */
  query: Record<string, string>;
  headers: Record<string, string>;
  body: unknown;
  /** 0 while unanswered (or for a request the fault script hangs). */
  status: number;
  response: unknown;
}

export interface AcceptedSend {
  at: number;
  to: string;
  idempotencyKey: string;
  messageId: string;
  kind: 'session' | 'template';
  body: unknown;
}

/** A scripted failure for `failNext`. Without `body`, the simulator writes its provider's usual error. */
export interface FailNextAnswer {
  status: number;
  retryAfterSeconds?: number;
  body?: unknown;
}

/** A scripted answer for every send to one recipient. */
export interface NumberFaultAnswer {
  status?: number;
  body: unknown;
}

export interface SimulatorFaults {
  /** Delays every answer by `ms`. */
  setLatency(ms: number): void;
  /** The next `n` send requests get `answer` instead of being processed. */
  failNext(n: number, answer: FailNextAnswer): void;
  /** Every send to `to` gets `answer` (after authentication and validation). */
  failNumber(to: string, answer: NumberFaultAnswer): void;
  /** The next `n` send requests are never answered (their sockets are closed by `close()`). */
  hangNext(n: number): void;
  clear(): void;
}

export interface SimulatorHandle {
  /** Yeastar: 'http://127.0.0.1:PORT/openapi/v1.0'; Connectly: 'http://127.0.0.1:PORT'. */
  url: string;
  /** Every request in arrival order (a live array; `reset()` empties it in place). */
  requests: RecordedRequest[];
  acceptedSends(): AcceptedSend[];
  duplicateSends(): number;
  faults: SimulatorFaults;
  /** Opens the 24-hour window for `number`, as if they had written to us at `at` (default now). */
  recordInbound(number: string, at?: Date): void;
  /** Clears records, faults and windows (tokens stay valid). */
  reset(): void;
  /** Closes the server and any hung sockets. */
  close(): Promise<void>;
}

/** What a simulator's route handler decides. */
export interface SimAnswer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export const HANG = Symbol('hang');
export type SimOutcome = SimAnswer | typeof HANG;

export const DAY_MS = 24 * 60 * 60 * 1000;
