/** Messages between the bench and its simulator process (over the fork IPC channel). */
import type { CampaignSends } from './send-log.js';

export type SimCommand =
  | { id: number; type: 'stats' }
  | { id: number; type: 'histogram' }
  | { id: number; type: 'set-latency'; ms: number }
  | { id: number; type: 'clear' };

export interface SimStats {
  /** Sends accepted since the last clear. */
  accepted: number;
  /** Requests answered with a status ≥ 400 (429s included). */
  errors: number;
  /** Requests that repeated the idempotency key of an accepted send (the same recipient twice). */
  duplicates: number;
  campaigns: Record<string, CampaignSends>;
  /**
   * The simulator's own event-loop stalls since the last clear: [when it ran again (ms), how long
   * it was held up (ms)], for stalls of at least STALL_MIN_MS. A send that arrived during one is
   * stamped late, so the arrivals it recorded then are bunched by the simulator, not by us.
   */
  stalls: [number, number][];
}

/** The least event-loop stall the simulator reports (SimStats.stalls). */
export const STALL_MIN_MS = 20;

export type SimReply =
  | { id: number; type: 'stats'; stats: SimStats }
  | { id: number; type: 'histogram'; histogram: [number, number][] }
  | { id: number; type: 'ok' };

export interface SimReady {
  type: 'ready';
  url: string;
  apiKey: string;
  businessId: string;
}
