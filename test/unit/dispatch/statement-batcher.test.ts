/**
 * The statement batcher, without timers: the test arms the linger itself (`schedule`) and settles
 * each batch's statement by hand, so every assertion is about order, never about time.
 */
import { BatcherClosedError, createStatementBatcher, firstOfEachKey, type StatementBatcher } from '../../../src/db/statement-batcher.js';

interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(err: unknown): void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (err: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Lets every pending microtask (and promise continuation) run. */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** A batcher whose linger and statements the test drives. */
function harness(maxBatch = 200) {
  const batches: { items: readonly number[]; result: Deferred<readonly string[]> }[] = [];
  let linger: (() => void) | null = null;
  const batcher: StatementBatcher<number, string> = createStatementBatcher<number, string>({
    name: 'test',
    maxBatch,
    schedule(flush) {
      expect(linger).toBeNull(); // never armed twice
      linger = flush;
    },
    run(items) {
      const result = deferred<readonly string[]>();
      batches.push({ items: [...items], result });
      return result.promise;
    },
  });
  return {
    batcher,
    batches,
    fireLinger() {
      const fire = linger;
      linger = null;
      fire?.();
    },
    get armed() {
      return linger !== null;
    },
    /** Commits batch `i`, answering each item with `v<item>`. */
    commit(i: number) {
      const batch = batches[i]!;
      batch.result.resolve(batch.items.map((item) => `v${item}`));
    },
  };
}

describe('statement batcher', () => {
  it('collects the calls of one linger into one batch and gives each caller its own result', async () => {
    const h = harness();
    const answers = [1, 2, 3].map((n) => h.batcher.submit(n));
    expect(h.batches).toHaveLength(0);
    h.fireLinger();
    expect(h.batches.map((b) => b.items)).toEqual([[1, 2, 3]]);
    h.commit(0);
    await expect(Promise.all(answers)).resolves.toEqual(['v1', 'v2', 'v3']);
  });

  it('queues calls made while a batch is in flight and sends them together, at once, when it settles', async () => {
    const h = harness();
    const first = h.batcher.submit(1);
    h.fireLinger();
    const later = [h.batcher.submit(2), h.batcher.submit(3)];
    expect(h.armed).toBe(false); // no linger while a batch is in flight
    expect(h.batches).toHaveLength(1);
    h.commit(0);
    await expect(first).resolves.toBe('v1');
    expect(h.batches.map((b) => b.items)).toEqual([[1], [2, 3]]);
    h.commit(1);
    await expect(Promise.all(later)).resolves.toEqual(['v2', 'v3']);
    expect(h.batcher.size).toBe(0);
  });

  it('never resolves a caller before its batch has committed', async () => {
    const h = harness();
    let resolved = false;
    void h.batcher.submit(1).then(() => (resolved = true));
    h.fireLinger();
    await settle();
    expect(resolved).toBe(false);
    h.commit(0);
    await settle();
    expect(resolved).toBe(true);
  });

  it('fails every caller of a batch whose statement fails, and carries on with the next batch', async () => {
    const h = harness();
    const failing = [h.batcher.submit(1), h.batcher.submit(2)];
    h.fireLinger();
    const next = h.batcher.submit(3);
    const err = new Error('connection terminated');
    h.batches[0]!.result.reject(err);
    await expect(failing[0]).rejects.toBe(err);
    await expect(failing[1]).rejects.toBe(err);
    expect(h.batches.map((b) => b.items)).toEqual([[1, 2], [3]]);
    h.commit(1);
    await expect(next).resolves.toBe('v3');
  });

  it('fails the batch when the statement answers for the wrong number of items', async () => {
    const h = harness();
    const answers = [h.batcher.submit(1), h.batcher.submit(2)];
    h.fireLinger();
    h.batches[0]!.result.resolve(['only one']);
    await expect(answers[0]).rejects.toThrow(/1 results for 2 items/);
    await expect(answers[1]).rejects.toThrow(/1 results for 2 items/);
  });

  it('starts a full batch without waiting for the linger, and caps every batch at maxBatch', async () => {
    const h = harness(2);
    const answers = [1, 2].map((n) => h.batcher.submit(n));
    expect(h.batches.map((b) => b.items)).toEqual([[1, 2]]);
    answers.push(...[3, 4, 5].map((n) => h.batcher.submit(n)));
    h.commit(0);
    await settle();
    expect(h.batches.map((b) => b.items)).toEqual([[1, 2], [3, 4]]);
    h.commit(1);
    await settle();
    expect(h.batches.map((b) => b.items)).toEqual([[1, 2], [3, 4], [5]]);
    h.commit(2);
    await expect(Promise.all(answers)).resolves.toEqual(['v1', 'v2', 'v3', 'v4', 'v5']);
    h.fireLinger(); // the linger armed by the first call finds nothing left to do
    expect(h.batches).toHaveLength(3);
  });

  it('passes duplicates through to run, which decides what they mean', async () => {
    const h = harness();
    void h.batcher.submit(7);
    void h.batcher.submit(7);
    h.fireLinger();
    expect(h.batches[0]!.items).toEqual([7, 7]);
  });

  it('drains on close: accepted items run at once and settle, later ones are refused', async () => {
    const h = harness();
    const accepted = [h.batcher.submit(1)];
    h.fireLinger();
    accepted.push(h.batcher.submit(2));
    let closed = false;
    const closing = h.batcher.close().then(() => (closed = true));
    await expect(h.batcher.submit(3)).rejects.toBeInstanceOf(BatcherClosedError);
    h.commit(0);
    await settle();
    expect(closed).toBe(false); // item 2 is still in flight
    expect(h.batches.map((b) => b.items)).toEqual([[1], [2]]);
    h.commit(1);
    await closing;
    await expect(Promise.all(accepted)).resolves.toEqual(['v1', 'v2']);
  });

  it('drain runs what is queued without the linger and leaves the batcher open', async () => {
    const h = harness();
    const answer = h.batcher.submit(1);
    const draining = h.batcher.drain();
    expect(h.batches.map((b) => b.items)).toEqual([[1]]);
    h.commit(0);
    await draining;
    await expect(answer).resolves.toBe('v1');
    h.fireLinger();
    const after = h.batcher.submit(2);
    h.fireLinger();
    h.commit(1);
    await expect(after).resolves.toBe('v2');
  });

  it('a run that throws synchronously fails its callers like a failed statement', async () => {
    const batcher = createStatementBatcher<number, number>({
      name: 'sync-throw',
      schedule: (flush) => flush(),
      run() {
        throw new Error('bad input');
      },
    });
    await expect(batcher.submit(1)).rejects.toThrow('bad input');
  });
});

describe('firstOfEachKey', () => {
  it('keeps the first item of each key, in order', () => {
    expect(firstOfEachKey(['a', 'b', 'a', 'c', 'b'], (s) => s)).toEqual([0, 1, 3]);
  });
});
