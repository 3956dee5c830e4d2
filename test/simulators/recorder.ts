/**
 * What a simulator saw: every request, the sends it accepted, and the duplicates it answered from
 * memory. Idempotency is per key: only accepted sends are remembered, so a retry after a failure
 * is processed afresh (as a real service would).
 */
import type { AcceptedSend, RecordedRequest, SimAnswer } from './types.js';

export interface Recorder {
  readonly requests: RecordedRequest[];
  readonly accepted: AcceptedSend[];
  duplicates(): number;
  /** The answer of an accepted send with this key (counting the duplicate), or undefined. */
  replay(idempotencyKey: string | undefined): SimAnswer | undefined;
  accept(send: AcceptedSend, answer: SimAnswer): void;
  reset(): void;
}

export function createRecorder(): Recorder {
  const requests: RecordedRequest[] = [];
  const accepted: AcceptedSend[] = [];
  const byKey = new Map<string, SimAnswer>();
  let duplicates = 0;
  return {
    requests,
    accepted,
    duplicates: () => duplicates,
    replay(key) {
      if (key === undefined || key === '') return undefined;
      const answer = byKey.get(key);
      if (answer) duplicates++;
      return answer;
    },
    accept(send, answer) {
      accepted.push(send);
      if (send.idempotencyKey !== '') byKey.set(send.idempotencyKey, answer);
    },
    reset() {
      requests.length = 0;
      accepted.length = 0;
      byKey.clear();
      duplicates = 0;
    },
  };
}
