/**
 * The provider-client ceiling: our Connectly client (got, one instance per channel, as the registry
 * builds it) against the bench simulator in its own process, zero latency, `concurrency` requests
 * in flight — no queue, no database. Requests/s over `requests` sends of the message the dispatch
 * path sends (an SMS text with an idempotency key). Runs in the bench process.
 */
import { createConnectlyClient } from '../../src/providers/connectly/client.js';
import { createLogger } from '../../src/observability/logger.js';
import type { SimControl } from './sim/sim-control.js';

export async function measureClientCeiling(sim: SimControl, options: { requests: number; concurrency: number }): Promise<number> {
  const client = createConnectlyClient({
    channel: {
      id: '00000000-0000-4000-8000-00000000c11e',
      provider: 'connectly',
      kind: 'sms',
      senderId: '+14155550101',
      settings: { baseUrl: sim.url, businessId: sim.businessId },
      credentials: { apiKey: sim.apiKey },
    },
    userAgent: 'campaign-dispatch/0.1',
    log: createLogger({ level: 'warn', name: 'bench', pretty: false }),
  });
  let campaignId = '00000000-0000-4000-8000-00000000000a';
  let next = 0;
  async function lane(): Promise<void> {
    while (next < options.requests) {
      const i = ++next;
      await client.send({
        idempotencyKey: `cd-${campaignId}-${i}`,
        to: `+86138${String(i).padStart(8, '0')}`,
        content: { kind: 'text', text: `Hi Customer ${i}, this is a campaign-dispatch benchmark message. Reply STOP to opt out.` },
        campaignName: 'bench',
      });
    }
  }
  try {
    // Warm the keep-alive sockets first, so connection setup is not in the figure.
    next = options.requests - Math.min(options.requests, options.concurrency);
    await Promise.all(Array.from({ length: options.concurrency }, lane));
    campaignId = '00000000-0000-4000-8000-00000000000b';
    next = 0;
    const started = performance.now();
    await Promise.all(Array.from({ length: options.concurrency }, lane));
    return options.requests / ((performance.now() - started) / 1000);
  } finally {
    await client.close();
  }
}
