/**
 * The bench's provider: a Connectly simulator (test/simulators) in a process of its own, so its
 * CPU is neither ours nor stolen from our event loop. Started with `fork` by sim-control.ts.
 * Environment: SIM_LATENCY_MS (default 0).
 *
 * The simulator records every request in memory (for tests); a million would not fit comfortably,
 * so every 100 ms the new accepted sends are folded into a SendLog (per-ms counts, per-campaign
 * first send) and the simulator's records are reset. Reset clears its faults too, so the latency
 * is set again in the same tick. Sends are SMS session messages: no 24-hour window applies.
 */
import { startConnectlySimulator } from '../../../test/simulators/index.js';
import { STALL_MIN_MS, type SimCommand, type SimReady, type SimReply } from './protocol.js';
import { createSendLog } from './send-log.js';

const DRAIN_EVERY_MS = 100;
/** How often the stall watch looks at the clock (SimStats.stalls). */
const STALL_TICK_MS = 5;
/** Most stalls kept between two clears. */
const MAX_STALLS = 10_000;

async function main(): Promise<void> {
  let latencyMs = Number(process.env.SIM_LATENCY_MS ?? 0);
  const sim = await startConnectlySimulator({ port: 0, host: '127.0.0.1', windowsOpen: true });
  sim.faults.setLatency(latencyMs);
  const log = createSendLog();
  let errors = 0;
  let duplicates = 0;

  function drain(): void {
    for (const send of sim.acceptedSends()) log.record(send.at, send.idempotencyKey);
    for (const req of sim.requests) if (req.status >= 400) errors++;
    duplicates += sim.duplicateSends();
    sim.reset();
    sim.faults.setLatency(latencyMs);
  }
  const timer = setInterval(drain, DRAIN_EVERY_MS);
  let stalls: [number, number][] = [];
  let lastTick = Date.now();
  const stallWatch = setInterval(() => {
    const now = Date.now();
    const held = now - lastTick - STALL_TICK_MS;
    if (held >= STALL_MIN_MS && stalls.length < MAX_STALLS) stalls.push([now, held]);
    lastTick = now;
  }, STALL_TICK_MS);

  process.on('message', (raw) => {
    const cmd = raw as SimCommand;
    drain();
    let reply: SimReply;
    switch (cmd.type) {
      case 'stats':
        reply = { id: cmd.id, type: 'stats', stats: { accepted: log.total(), errors, duplicates, campaigns: log.campaigns(), stalls } };
        break;
      case 'histogram':
        reply = { id: cmd.id, type: 'histogram', histogram: log.histogram() };
        break;
      case 'set-latency':
        latencyMs = cmd.ms;
        sim.faults.setLatency(latencyMs);
        reply = { id: cmd.id, type: 'ok' };
        break;
      case 'clear':
        log.clear();
        errors = 0;
        duplicates = 0;
        stalls = [];
        reply = { id: cmd.id, type: 'ok' };
        break;
    }
    process.send!(reply);
  });

  const stop = (): void => {
    clearInterval(timer);
    clearInterval(stallWatch);
    void sim.close().then(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.on('disconnect', stop);
  const ready: SimReady = { type: 'ready', url: sim.url, apiKey: sim.apiKey, businessId: sim.businessId };
  process.send!(ready);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
