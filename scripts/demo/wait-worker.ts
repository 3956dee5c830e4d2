/**
 * Waits until the worker process is consuming both queues, so the measured time is the pipeline's
 * and not the worker's start-up. BullMQ lists a queue's workers from Redis's CLIENT LIST.
 */
import { Queue } from 'bullmq';
import { LAUNCH_QUEUE, SEND_QUEUE } from '../../src/queue/names.js';
import { createRedis } from '../../src/queue/connection.js';
import type { ServiceProcess } from './children.js';

export async function waitWorkerReady(redisUrl: string, prefix: string, worker: ServiceProcess, timeoutMs = 30_000): Promise<void> {
  const connection = createRedis(redisUrl);
  const queues = [LAUNCH_QUEUE, SEND_QUEUE].map((name) => new Queue(name, { connection, prefix }));
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      const status = worker.exitStatus();
      if (status !== undefined) {
        throw new Error(`${worker.name} exited (${status}) during start-up. Last lines of ${worker.logPath}:\n${worker.logTail()}`);
      }
      const counts = await Promise.all(queues.map(async (q) => (await q.getWorkers()).length));
      if (counts.every((n) => n > 0)) return;
      if (Date.now() > deadline) {
        throw new Error(`${worker.name} did not start consuming the queues within ${timeoutMs / 1000} s; see ${worker.logPath}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  } finally {
    await Promise.all(queues.map((q) => q.close()));
    connection.disconnect();
  }
}
