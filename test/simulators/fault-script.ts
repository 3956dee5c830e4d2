/**
 * Scripted misbehaviour shared by both simulators: latency, the next N sends failing or hanging,
 * and fixed answers for chosen recipients. Each simulator supplies its provider's default error
 * body, so `failNext(1, { status: 503 })` looks like that provider's 503.
 */
import type { FailNextAnswer, NumberFaultAnswer, SimAnswer, SimulatorFaults } from './types.js';

export interface FaultScript {
  readonly api: SimulatorFaults;
  latencyMs(): number;
  /** True when this send must never be answered. */
  takeHang(): boolean;
  /** The scripted failure for this send, if one is queued. */
  takeFailure(): SimAnswer | undefined;
  /** The fixed answer for sends to `to`, if there is one. */
  forNumber(to: string): SimAnswer | undefined;
}

export function createFaultScript(options: {
  defaultBody: (status: number) => unknown;
  defaultNumberStatus: number;
}): FaultScript {
  let latency = 0;
  let hangs = 0;
  const failures: { left: number; answer: SimAnswer }[] = [];
  const numbers = new Map<string, SimAnswer>();

  const api: SimulatorFaults = {
    setLatency(ms) {
      latency = Math.max(0, ms);
    },
    failNext(n, answer: FailNextAnswer) {
      const headers: Record<string, string> = {};
      if (answer.retryAfterSeconds !== undefined) headers['retry-after'] = String(answer.retryAfterSeconds);
      failures.push({ left: n, answer: { status: answer.status, body: answer.body ?? options.defaultBody(answer.status), headers } });
    },
    failNumber(to, answer: NumberFaultAnswer) {
      numbers.set(to, { status: answer.status ?? options.defaultNumberStatus, body: answer.body });
    },
    hangNext(n) {
      hangs += n;
    },
    clear() {
      latency = 0;
      hangs = 0;
      failures.length = 0;
      numbers.clear();
    },
  };

  return {
    api,
    latencyMs: () => latency,
    takeHang() {
      if (hangs <= 0) return false;
      hangs--;
      return true;
    },
    takeFailure() {
      const head = failures[0];
      if (!head) return undefined;
      if (--head.left <= 0) failures.shift();
      return head.answer;
    },
    forNumber: (to) => (numbers.size === 0 ? undefined : numbers.get(to)),
  };
}
