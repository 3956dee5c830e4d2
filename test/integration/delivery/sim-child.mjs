// A provider simulator in its own process, for measurements that the jest process (busy compiling,
// polling, collecting garbage) would blur: arrival timestamps are taken on a quiet event loop.
// Driven over IPC by sim-process.ts (not named alike: jest would resolve ./sim-process.js to this file). Plain JS: it runs the compiled simulators from dist/.
import { startConnectlySimulator, startYeastarSimulator } from '../../../dist/test/simulators/index.js';

const sims = new Map();
process.on('message', async (msg) => {
  try {
    if (msg.op === 'start') {
      const sim = msg.provider === 'connectly' ? await startConnectlySimulator(msg.options ?? {}) : await startYeastarSimulator(msg.options ?? {});
      sims.set(msg.name, sim);
      process.send({ id: msg.id, result: { url: sim.url, apiKey: sim.apiKey, businessId: sim.businessId, clientId: sim.clientId, clientSecret: sim.clientSecret } });
    } else if (msg.op === 'accepted') {
      const sim = sims.get(msg.name);
      process.send({ id: msg.id, result: { accepted: sim.acceptedSends().map((s) => ({ at: s.at, to: s.to, idempotencyKey: s.idempotencyKey })), duplicates: sim.duplicateSends(), requests: sim.requests.length } });
    } else if (msg.op === 'close') {
      await Promise.all([...sims.values()].map((s) => s.close()));
      process.send({ id: msg.id, result: true });
      process.disconnect();
    }
  } catch (err) {
    process.send({ id: msg.id, error: String(err?.stack ?? err) });
  }
});
