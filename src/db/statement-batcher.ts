/**
 * Coalescing concurrent calls of one statement into one round trip.
 *
 * Why: a worker runs ~200 sends at once and each used to issue its own claim, outcome write and
 * completion check, each an autocommit statement — its own transaction, its own WAL flush, its own
 * parse and plan, its own socket write and wake-up. Rows of different sends do not depend on each
 * other, so one statement over an array of rows (`UPDATE … FROM unnest($1::…[])`) does the same work
 * for all of them in one transaction.
 *
 * How a batch forms (a micro-batch, no fixed tick):
 * - while a batch is in flight, calls queue; when it settles, everything queued goes at once (those
 *   callers have already waited one round trip, so waiting longer would only add latency);
 * - with nothing in flight, the first call starts a short linger (default 1 ms) so that its
 *   neighbours in the event loop join it; a queue that reaches `maxBatch` starts at once;
 * - at most one batch is in flight per batcher, so a call made while one runs is always served by a
 *   later batch — one that starts after the call. The campaign-completion check relies on that.
 *
 * Contract with `run`: one result per item, in order, resolved only after the statement committed;
 * if it throws, every caller of that batch gets the error (never a success for an uncommitted
 * write). Items are passed as they came, duplicates included: `run` decides what a duplicate means.
 */

/** Thrown to a caller that submits after `close()`: the process is stopping. */
export class BatcherClosedError extends Error {
  constructor(name: string) {
    super(`statement batcher "${name}" is closed: the process is shutting down`);
    this.name = 'BatcherClosedError';
  }
}

export interface StatementBatcherOptions<I, O> {
  /** For errors and logs. */
  name: string;
  /** Runs one batch as one statement: one result per item, in the items' order. */
  run(items: readonly I[]): Promise<readonly O[]>;
  /** Most items in one batch (default 200); the rest wait for the next batch. */
  maxBatch?: number;
  /** How long a call that finds the batcher idle waits for company (default 1 ms). */
  lingerMs?: number;
  /**
   * Arms the linger: calls `flush` once, later. Default a `lingerMs` timer; tests pass their own to
   * decide when a batch starts.
   */
  schedule?(flush: () => void): void;
}

export interface StatementBatcher<I, O> {
  /** Queues one item; resolves with its own result once its batch has committed. */
  submit(item: I): Promise<O>;
  /** Starts a batch with what is queued now, unless one is in flight (then it follows that one). */
  flush(): void;
  /** Runs every item accepted so far (no linger) and resolves once none is queued or in flight. */
  drain(): Promise<void>;
  /** Stops accepting items, then drains: no accepted item is dropped. */
  close(): Promise<void>;
  /** Items accepted and not yet settled (queued or in flight). */
  readonly size: number;
}

interface Entry<I, O> {
  item: I;
  resolve(value: O): void;
  reject(err: unknown): void;
}

/** Creates a batcher; one per statement per process (see workers/runtime.ts). */
export function createStatementBatcher<I, O>(options: StatementBatcherOptions<I, O>): StatementBatcher<I, O> {
  const maxBatch = options.maxBatch ?? 200;
  const lingerMs = options.lingerMs ?? 1;
  const schedule = options.schedule ?? ((flush: () => void) => void setTimeout(flush, lingerMs));
  let queue: Entry<I, O>[] = [];
  let running = 0;
  let armed = false;
  let closed = false;
  let idleWaiters: (() => void)[] = [];

  function start(): void {
    if (running > 0 || queue.length === 0) return;
    const batch = queue.length <= maxBatch ? queue : queue.slice(0, maxBatch);
    queue = queue.length <= maxBatch ? [] : queue.slice(maxBatch);
    running = batch.length;
    void runBatch(batch);
  }

  async function runBatch(batch: Entry<I, O>[]): Promise<void> {
    try {
      const results = await options.run(batch.map((entry) => entry.item));
      if (results.length !== batch.length) {
        throw new Error(`statement batcher "${options.name}": ${results.length} results for ${batch.length} items`);
      }
      batch.forEach((entry, i) => entry.resolve(results[i] as O));
    } catch (err) {
      for (const entry of batch) entry.reject(err);
    }
    running = 0;
    // What queued meanwhile goes now, without a linger: those callers have waited long enough.
    start();
    if (running === 0 && queue.length === 0) {
      const waiters = idleWaiters;
      idleWaiters = [];
      for (const wake of waiters) wake();
    }
  }

  function drain(): Promise<void> {
    start();
    if (running === 0 && queue.length === 0) return Promise.resolve();
    return new Promise<void>((resolve) => idleWaiters.push(resolve));
  }

  function onLinger(): void {
    armed = false;
    start();
  }

  return {
    submit(item) {
      if (closed) return Promise.reject(new BatcherClosedError(options.name));
      return new Promise<O>((resolve, reject) => {
        queue.push({ item, resolve, reject });
        if (running > 0) return; // the batch in flight starts the next one when it settles
        if (queue.length >= maxBatch) return start();
        if (!armed) {
          armed = true;
          schedule(onLinger);
        }
      });
    },
    flush: start,
    drain,
    close() {
      closed = true;
      return drain();
    },
    get size() {
      return running + queue.length;
    },
  };
}

/**
 * Indexes of the first item of each key, in order: the items one statement may carry when a key
 * (a row) must not appear twice in it. The rest go after the batch, so they see its effect exactly
 * as they would have one after the other.
 */
export function firstOfEachKey<I>(items: readonly I[], key: (item: I) => string): number[] {
  const seen = new Set<string>();
  const index: number[] = [];
  items.forEach((item, i) => {
    const k = key(item);
    if (seen.has(k)) return;
    seen.add(k);
    index.push(i);
  });
  return index;
}
