/**
 * The BullMQ ceiling: how fast this Redis and this BullMQ move send-shaped jobs when nothing else
 * happens — the payload, job options (custom id, removeOnComplete/Fail) and worker concurrency of
 * the real send queue, a processor that returns at once. Runs in the bench process, alone.
 * - add rate: `addBulk` in chunks of 1,000 (the fan-out's chunk size), jobs/s;
 * - processing rate: from `worker.run()` until the last job's processor was called, jobs/s.
 */
import { Queue, Worker } from 'bullmq';
import { createRedis } from '../../src/queue/connection.js';
import { SEND_QUEUE } from '../../src/queue/names.js';
import { sendJobOptions } from '../../src/dispatch/send-job-options.js';
import { FAN_OUT_CHUNK } from '../../src/dispatch/fan-out.js';
import { deleteQueueKeys } from '../demo/queue-keys.js';

export interface BullmqCeiling {
  addPerSecond: number;
  processPerSecond: number;
}

export async function measureBullmqCeiling(options: { redisUrl: string; prefix: string; jobs: number; concurrency: number }): Promise<BullmqCeiling> {
  const connection = createRedis(options.redisUrl);
  const workerConnection = createRedis(options.redisUrl, { forWorker: true });
  const queue = new Queue(SEND_QUEUE, { connection, prefix: options.prefix });
  const campaignId = '00000000-0000-4000-8000-000000000000';
  const jobs = Array.from({ length: options.jobs }, (_, i) => ({
    name: 'send',
    data: { campaignId, recipientId: String(i + 1), number: `+86138${String(i + 1).padStart(8, '0')}` },
    opts: sendJobOptions(String(i + 1)),
  }));
  let worker: Worker | undefined;
  try {
    await queue.waitUntilReady();
    const addStart = performance.now();
    for (let i = 0; i < jobs.length; i += FAN_OUT_CHUNK) await queue.addBulk(jobs.slice(i, i + FAN_OUT_CHUNK));
    const addSeconds = (performance.now() - addStart) / 1000;

    let done = 0;
    let finish!: () => void;
    const allDone = new Promise<void>((resolve) => (finish = resolve));
    worker = new Worker(
      SEND_QUEUE,
      async () => {
        if (++done === options.jobs) finish();
      },
      { connection: workerConnection, prefix: options.prefix, concurrency: options.concurrency, autorun: false },
    );
    const runStart = performance.now();
    void worker.run();
    await allDone;
    const runSeconds = (performance.now() - runStart) / 1000;
    return { addPerSecond: options.jobs / addSeconds, processPerSecond: options.jobs / runSeconds };
  } finally {
    await worker?.close();
    await queue.close();
    connection.disconnect();
    workerConnection.disconnect();
    await deleteQueueKeys(options.redisUrl, options.prefix);
  }
}
