/** What the lifecycle operations need: the ledger, the launch queue, a logger and the clock. */
import type pg from 'pg';
import type { Logger } from '../../observability/logger.js';
import type { Queues } from '../../queue/queues.js';

export interface LifecycleDeps {
  pool: pg.Pool;
  queues: Pick<Queues, 'launch'>;
  log: Logger;
  now: () => Date;
}
