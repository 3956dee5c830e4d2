/**
 * Taking rate-limit room for a send at the last moment, and sending only while that room is fresh.
 *
 * The provider counts arrivals; the limiter counts admissions (Redis' clock in the limiter script).
 * The limiter widens every window by a margin to absorb the time between the two — but only up to
 * the margin. Measured with three workers on two cores: the reply to the acquire can sit in a busy
 * event loop, and, worse, a request handed to the HTTP client waited 100–300 ms for the process to
 * run again (GC, scheduling) and then left together with every other request made before the stall
 * — a clump that the provider counted in its next second along with the sends admitted then.
 *
 * So the request is made first and held at its socket (src/providers/write-deadline.ts); only then
 * is the admission asked for, and every admission carries a write deadline,
 * `admittedAt + maxLagMs + admission.lateMs` (Redis' clock at the admission, brought to the local
 * clock — rate-limiter.ts; time the command spent queued in Redis behind other clients is not held
 * against it). `lateMs` is how far ahead of the admission the limiter recorded it: 0 for a tight
 * admission (taken where a limit is in use), the limiter's loose lag for one far below every limit,
 * or the lateness this send announced (below). Two checks enforce the deadline:
 * - when the acquire answers (`acquireFresh`): an admission whose acquire took too long is given
 *   back (removed from the limits' logs: capacity nobody used, never excess) and asked for again;
 * - at the socket, in the same synchronous step as the write: a request that can no longer be
 *   written by the deadline is destroyed unwritten; the admission is given back and the send asks
 *   again (`sendAdmitted`).
 * Every request that goes out was on the wire within `maxLagMs` of its entry's score in the
 * limiter's logs, so arrivals trail the scores by at most that (plus the provider's own reading
 * delay) — which the limiter's margin covers.
 *
 * Two reliefs keep this from costing throughput where it buys nothing, or everything where the
 * machine is overloaded: a loose admission has the limiter's loose lag (100 ms) to leave, so a
 * channel far below its limits does not give admissions back for a stall of a few tens of ms; and
 * each stale admission doubles the lag the next one may have (`allowedLagMs`), so a process too
 * loaded to write anything within `maxLagMs` still sends instead of giving every admission back.
 * The extra lag is announced to the limiter (`lateMs`), which records such a send that much later,
 * so the escalation costs the late send's own wait, never the limit.
 */
import type { LimitSpec } from '../policy/rate-limits.js';
import { isProviderError } from '../providers/provider-error.js';
import type { Admission, LimiterAnswer, RateLimiter } from '../queue/rate-limiter.js';

/** How many stale admissions (either check) a send gives back before it goes back in line. */
export const FRESH_ADMISSION_TRIES = 5;
/**
 * A refusal that asks for at most this long is waited out in place — holding the claim, the
 * concurrency slot and the request made ready at its socket — rather than by re-scheduling the job,
 * which would cost a claim release, a new claim in Postgres and a new request: load that makes the
 * next admission go stale too. Several sends that peeked at the same free room then wait their turn
 * at the limit's own spacing instead of all but one going back to the queue.
 */
export const IN_PLACE_WAIT_MAX_MS = 250;
/** Most time one acquireFresh call spends waiting in place, in all. */
export const IN_PLACE_BUDGET_MS = 1_000;

/** `stale`: stale admissions given back so far, this one's allowed lag counted from it (allowedLagMs). */
export type FreshAnswer = Extract<LimiterAnswer, { ok: false }> | { ok: true; admission: Admission; stale: number };
type Refusal = Extract<LimiterAnswer, { ok: false }>;
/** Where an admission was found stale: when its acquire answered, or at the write. */
export type StaleStage = 'acquire' | 'write';

/**
 * Acquires room under `limits` (as a caller holding its slot) whose admission is at most `maxLagMs`
 * old now. Short refusals are waited out in place (IN_PLACE_WAIT_MAX_MS, IN_PLACE_BUDGET_MS in
 * all); a longer one is answered as it is (the caller re-schedules). After `tries` stale admissions
 * (default FRESH_ADMISSION_TRIES) it answers as a refusal of one spacing, so the send goes back in
 * line instead of going out late.
 */
export async function acquireFresh(
  limiter: RateLimiter,
  limits: readonly LimitSpec[],
  options: { maxLagMs: number; now?: () => number; tries?: number; staleSoFar?: number; onStale?: (stage: StaleStage) => void },
): Promise<FreshAnswer> {
  const now = options.now ?? Date.now;
  const tries = options.tries ?? FRESH_ADMISSION_TRIES;
  const waitUntil = now() + IN_PLACE_BUDGET_MS;
  let stale = options.staleSoFar ?? 0;
  for (;;) {
    // An escalated deadline lets this send leave later than the limiter's margin covers: say so,
    // and the limiter counts it as admitted that much later.
    const answer = await limiter.acquire(limits, { reserved: true, lateMs: allowedLagMs(options.maxLagMs, stale) - options.maxLagMs });
    if (!answer.ok) {
      if (answer.waitMs > IN_PLACE_WAIT_MAX_MS || now() + answer.waitMs > waitUntil) return answer;
      await new Promise((resolve) => setTimeout(resolve, answer.waitMs));
      continue;
    }
    if (now() <= writeDeadline(answer.admission, options.maxLagMs)) return { ...answer, stale };
    options.onStale?.('acquire');
    await limiter.release(answer.admission);
    if (++stale >= tries) return backInLine(limits);
  }
}

/**
 * Sends under rate-limit room taken at the last moment: `send` is handed a gate to pass to the
 * provider client (SendOptions.gate), which calls it once the request is ready at its socket, bytes
 * held. The gate takes the admission (acquireFresh) and answers its write deadline
 * (`writeDeadline`); the bytes leave only by then. A request that missed it (a stall between the
 * admission and the write: a ProviderError with `notSent`, nothing written) gives the admission
 * back and is made again, up to FRESH_ADMISSION_TRIES stale admissions in all; a refusal drops the
 * request unwritten and is answered as `refused`. Any other outcome of `send` — a result or an
 * error — is the caller's, under the admission it used.
 */
export async function sendAdmitted<T>(
  limiter: RateLimiter,
  limits: readonly LimitSpec[],
  options: { maxLagMs: number; now?: () => number; onStale?: (stage: StaleStage) => void; onAdmitted?: (admission: Admission) => void },
  send: (gate: () => Promise<number | null>) => Promise<T>,
): Promise<{ sent: T } | { refused: Refusal }> {
  let stale = 0;
  for (;;) {
    let refusal: Refusal | undefined;
    let admission: Admission | undefined;
    let gateError: unknown;
    const gate = async (): Promise<number | null> => {
      try {
        const answer = await acquireFresh(limiter, limits, { ...options, staleSoFar: stale });
        if (!answer.ok) {
          refusal = answer;
          return null;
        }
        admission = answer.admission;
        options.onAdmitted?.(answer.admission);
        // Stale admissions given back inside acquireFresh count too: the deadline allows the same
        // lag the admission was accepted under, and the tries are counted across both checks.
        stale = answer.stale;
        return writeDeadline(answer.admission, options.maxLagMs);
      } catch (err) {
        gateError = err;
        throw err;
      }
    };
    try {
      return { sent: await send(gate) };
    } catch (err) {
      if (!isProviderError(err) || !err.notSent) throw err;
      if (gateError !== undefined) throw gateError;
      if (refusal) return { refused: refusal };
      options.onStale?.('write');
      if (admission) await limiter.release(admission);
      if (++stale >= FRESH_ADMISSION_TRIES) return { refused: backInLine(limits) };
    }
  }
}

/**
 * The local time by which an admission's request must be written: its usual lag after the moment
 * the limiter recorded it (`admittedAt + lateMs`), which for a late send is `allowedLagMs` after its
 * admission.
 */
export function writeDeadline(admission: Pick<Admission, 'admittedAt' | 'lateMs'>, maxLagMs: number): number {
  return admission.admittedAt + admission.lateMs + maxLagMs;
}

/**
 * The lag a send may have after `stale` stale admissions: `maxLagMs`, doubled for each. A process
 * so loaded that no request of its can be written within `maxLagMs` of its admission would
 * otherwise give every admission back and send nothing at all; escalating lets it send, a little
 * less precisely, instead of livelocking. Measured before: at load 14 a campaign made 83,000 claim
 * releases for 3,200 sends.
 */
export function allowedLagMs(maxLagMs: number, stale: number): number {
  return maxLagMs * 2 ** Math.min(stale, 4);
}

/** A refusal of one spacing of the first limit: the send goes back in line. */
function backInLine(limits: readonly LimitSpec[]): Refusal {
  const first = limits[0];
  return { ok: false, waitMs: first ? Math.ceil(first.windowMs / first.limit) : 1, slotted: false, refusedBy: first?.scope ?? 'channel' };
}
