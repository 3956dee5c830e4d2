/**
 * The send path's coalesced completion check (campaign-completion.ts, coalescedCompletion): which
 * checks run, and which check answers which call. The statement itself is tested on Postgres by the
 * dispatch integration tests; here a stand-in pool records each check and the test settles it.
 */
import type pg from 'pg';
import { coalescedCompletion } from '../../../src/dispatch/campaign-completion.js';

interface Check {
  campaignId: string;
  settle(completed: boolean): void;
  fail(err: Error): void;
}

function harness() {
  const checks: Check[] = [];
  const pool = {
    query(_text: string, values: unknown[]) {
      return new Promise((resolve, reject) => {
        checks.push({
          campaignId: values[0] as string,
          settle: (completed) => resolve({ rowCount: completed ? 1 : 0, rows: [] }),
          fail: reject,
        });
      });
    },
  } as unknown as pg.Pool;
  let linger: (() => void) | null = null;
  const completion = coalescedCompletion(pool, {
    schedule(flush) {
      linger = flush;
    },
  });
  return {
    completion,
    checks,
    fireLinger() {
      const fire = linger;
      linger = null;
      fire?.();
    },
  };
}

const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('coalesced campaign completion', () => {
  it('runs one check for the calls that arrive together', async () => {
    const h = harness();
    const answers = [h.completion.check('a'), h.completion.check('a'), h.completion.check('a')];
    h.fireLinger();
    expect(h.checks.map((c) => c.campaignId)).toEqual(['a']);
    h.checks[0]!.settle(true);
    await expect(Promise.all(answers)).resolves.toEqual([true, true, true]);
  });

  it('answers a call made during a check with exactly one later check, never with the one running', async () => {
    const h = harness();
    const early = h.completion.check('a');
    h.fireLinger();
    let lateAnswered = false;
    const late = [h.completion.check('a'), h.completion.check('a')];
    void Promise.all(late).then(() => (lateAnswered = true));

    h.checks[0]!.settle(false);
    await expect(early).resolves.toBe(false);
    await settle();
    expect(lateAnswered).toBe(false); // the running check may not have seen their outcomes
    expect(h.checks.map((c) => c.campaignId)).toEqual(['a', 'a']);

    h.checks[1]!.settle(true);
    await expect(Promise.all(late)).resolves.toEqual([true, true]);
    await settle();
    expect(h.checks).toHaveLength(2); // nothing more was asked for
  });

  it('checks each campaign asked for once per round, and a failure reaches only its own callers', async () => {
    const h = harness();
    const a = [h.completion.check('a'), h.completion.check('a')];
    const b = h.completion.check('b');
    h.fireLinger();
    expect(h.checks.map((c) => c.campaignId)).toEqual(['a', 'b']);
    h.checks[0]!.fail(new Error('connection terminated'));
    h.checks[1]!.settle(false);
    await expect(a[0]).rejects.toThrow('connection terminated');
    await expect(a[1]).rejects.toThrow('connection terminated');
    await expect(b).resolves.toBe(false);
  });

  it('drains the checks asked for on close and refuses new ones', async () => {
    const h = harness();
    const asked = h.completion.check('a');
    const closing = h.completion.close();
    expect(h.checks).toHaveLength(1); // started at once, without the linger
    await expect(h.completion.check('a')).rejects.toThrow(/closed/);
    h.checks[0]!.settle(false);
    await closing;
    await expect(asked).resolves.toBe(false);
  });
});
