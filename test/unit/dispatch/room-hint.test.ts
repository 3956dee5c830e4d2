import { describe, expect, it } from '@jest/globals';
import type { LimitSpec } from '../../../src/policy/rate-limits.js';
import { createRoomHint } from '../../../src/dispatch/room-hint.js';

const channel: LimitSpec = { key: 'ch:a', limit: 100, windowMs: 1000, kind: 'rate', scope: 'channel' };
const account: LimitSpec = { key: 'acct:x', limit: 200, windowMs: 1000, kind: 'rate', scope: 'account' };
const other: LimitSpec = { ...channel, key: 'ch:b' };

describe('room hint: when a send may skip the limiter peek', () => {
  it('knows nothing until a loose admission, then only for freshForMs', () => {
    const hint = createRoomHint({ freshForMs: 200 });
    expect(hint.likelyRoom([channel, account], 1_000)).toBe(false);
    hint.admitted([channel, account], false, 1_000);
    expect(hint.likelyRoom([channel, account], 1_199)).toBe(true);
    expect(hint.likelyRoom([channel, account], 1_200)).toBe(false);
  });

  it('is kept per set of limits', () => {
    const hint = createRoomHint({ freshForMs: 200 });
    hint.admitted([channel, account], false, 1_000);
    expect(hint.likelyRoom([other, account], 1_050)).toBe(false);
    expect(hint.likelyRoom([channel], 1_050)).toBe(false);
  });

  it('ends at a tight admission or a refusal', () => {
    const hint = createRoomHint({ freshForMs: 200 });
    hint.admitted([channel], false, 1_000);
    hint.admitted([channel], true, 1_010);
    expect(hint.likelyRoom([channel], 1_020)).toBe(false);
    hint.admitted([channel], false, 1_030);
    hint.refused([channel]);
    expect(hint.likelyRoom([channel], 1_040)).toBe(false);
  });

  it('never needs a peek for a send under no limits', () => {
    expect(createRoomHint().likelyRoom([], 0)).toBe(true);
  });
});
