/**
 * Control routes under /__sim/ so another process (the demo, a CLI, ops scripts) can drive a
 * running simulator: open a recipient's window, read counters, reset. Not part of any provider API.
 *   POST /__sim/inbound {"number": "+1555…", "at"?: ISO date, "text"?: "STOP"} — with `text`, the
 *     provider's inbound webhook is posted too (when the simulator has a webhookUrl)
 *   GET  /__sim/stats
 *   POST /__sim/reset
 */
import { isRecord } from '../../src/providers/answer-utils.js';
import type { SimRequest } from './http-server.js';
import type { SimAnswer } from './types.js';

export interface ControlTarget {
  recordInbound(number: string, at?: Date): void;
  /** Records the inbound message and posts its webhook. */
  sendInbound?(number: string, text: string, at?: Date): Promise<unknown>;
  stats(): Record<string, unknown>;
  reset(): void;
}

export function createControlRoutes(target: ControlTarget): (req: SimRequest) => SimAnswer {
  return (req) => {
    const route = `${req.method} ${req.path}`;
    if (route === 'GET /__sim/stats') return { status: 200, body: target.stats() };
    if (route === 'POST /__sim/reset') {
      target.reset();
      return { status: 200, body: { ok: true } };
    }
    if (route === 'POST /__sim/inbound') {
      const body = req.body;
      const numbers = isRecord(body) ? (Array.isArray(body.numbers) ? body.numbers : [body.number]) : [];
      if (numbers.length === 0 || !numbers.every((n): n is string => typeof n === 'string')) {
        return { status: 400, body: { error: 'expected {"number": "+…"} or {"numbers": [...]}' } };
      }
      const at = isRecord(body) && typeof body.at === 'string' ? new Date(body.at) : undefined;
      const text = isRecord(body) && typeof body.text === 'string' ? body.text : undefined;
      for (const n of numbers) {
        if (text !== undefined && target.sendInbound) void target.sendInbound(n, text, at);
        else target.recordInbound(n, at);
      }
      return { status: 200, body: { ok: true, opened: numbers.length } };
    }
    return { status: 404, body: { error: `no control route ${route}` } };
  };
}
