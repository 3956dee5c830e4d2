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
}

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
