/**
 * What a send job carries besides the ids of src/queue/names.ts. All optional: a job added without
 * them (an older producer, the reconciler) works, at the cost of a lookup or a reset clock.
 * - number: the recipient's number, for the pair rate limit *before* the claim (the fan-out reads
 *   it with the id, so the check costs no database read);
 * - limiterSlotAt: the job is waiting for a slot the rate limiter handed it (see rate-limiter.ts);
 * - firstAttemptAt / freeAttempts: the recipient's retry budget across runs (policy/retry-decision.ts).
 */
import type { SendJobData } from '../queue/names.js';

export interface SendJobPayload extends SendJobData {
  number?: string;
  limiterSlotAt?: number;
  firstAttemptAt?: number;
  freeAttempts?: number;
}
