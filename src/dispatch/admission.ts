/**
 * Taking rate-limit room for a send at the last moment, and only room that is still fresh.
 *
 * The provider counts arrivals; the limiter counts admissions (Redis' clock in the limiter script).
 * Between the two lie the reply's trip back, this process' event loop (200 concurrent sends, GC,
 * other processes on the same cores), got, the socket and the provider's own loop. The limiter's
 * margin widens every window to absorb that spread — but only up to the margin: a reply that sat in
 * a busy event loop for 150 ms turns into a request 150 ms after its admission and can land in the
 * next second with the sends admitted then. So an admission is used only when it is fresh — its
 * acquire was asked less than `maxLagMs` ago when the request is about to leave. A stale one is given
 * back (removed from the limits' logs: capacity nobody used, never excess) and asked for again.
 *
 * This bounds the part of the spread that happens before the request is handed to the HTTP client;
 * what happens after it (got, sockets, the provider) is left to the margin.
 */
import type { LimitSpec } from '../policy/rate-limits.js';
import type { Admission, LimiterAnswer, RateLimiter } from '../queue/rate-limiter.js';

/** How many stale admissions a send gives back before it goes back in line. */
export const FRESH_ADMISSION_TRIES = 5;
/**
 * After giving a stale admission back, a refusal that asks for at most this long is waited out in
 * place (holding the claim and the concurrency slot) rather than by re-scheduling the job, which
 * would cost a claim release and a new claim in Postgres — load that makes the next admission go
 * stale too.
 */
export const IN_PLACE_WAIT_MAX_MS = 250;

export type FreshAnswer = Extract<LimiterAnswer, { ok: false }> | { ok: true; admission: Admission };

/**
 * Acquires room under `limits` (as a caller holding its slot) whose admission is at most `maxLagMs`
 * old now. A first refusal is answered as it is (the caller waits as for any refusal); after
 * FRESH_ADMISSION_TRIES stale admissions it answers as a refusal of one spacing, so the send goes
 * back in line instead of going out late.
 */
export async function acquireFresh(
  limiter: RateLimiter,
  limits: readonly LimitSpec[],
  options: { maxLagMs: number; now?: () => number },
): Promise<FreshAnswer> {
  const now = options.now ?? Date.now;
  let stale = 0;
  for (;;) {
    const answer = await limiter.acquire(limits, { reserved: true });
    if (!answer.ok) {
      if (stale === 0 || answer.waitMs > IN_PLACE_WAIT_MAX_MS) return answer;
      await new Promise((resolve) => setTimeout(resolve, answer.waitMs));
      continue;
    }
    if (now() - answer.admission.askedAt <= options.maxLagMs) return answer;
    await limiter.release(answer.admission);
    if (++stale >= FRESH_ADMISSION_TRIES) {
      const first = limits[0];
      return { ok: false, waitMs: first ? Math.ceil(first.windowMs / first.limit) : 1, slotted: false, refusedBy: first?.scope ?? 'channel' };
    }
  }
}
