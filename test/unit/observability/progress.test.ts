/** The arithmetic of campaign progress (src/campaigns/progress.ts). */
import { etaSeconds, groupReasons, remainingCount, sendRate } from '../../../src/campaigns/progress.js';

const NOW = new Date('2030-06-01T12:00:00.000Z');
const ago = (seconds: number) => new Date(NOW.getTime() - seconds * 1000);

describe('sendRate', () => {
  test('is the sends in the window over the window, to two decimals', () => {
    expect(sendRate({ sentInWindow: 45, windowSeconds: 30, startedAt: ago(600), now: NOW })).toBe(1.5);
    expect(sendRate({ sentInWindow: 10, windowSeconds: 30, startedAt: ago(600), now: NOW })).toBe(0.33);
  });

  test('measures a campaign younger than the window since it started', () => {
    expect(sendRate({ sentInWindow: 300, windowSeconds: 30, startedAt: ago(10), now: NOW })).toBe(30);
  });

  test('never divides by less than a second (a clock behind the database)', () => {
    expect(sendRate({ sentInWindow: 5, windowSeconds: 30, startedAt: ago(-3), now: NOW })).toBe(5);
    expect(sendRate({ sentInWindow: 5, windowSeconds: 30, startedAt: ago(0.2), now: NOW })).toBe(5);
  });

  test('is 0 before the campaign starts or when nothing went out', () => {
    expect(sendRate({ sentInWindow: 5, windowSeconds: 30, startedAt: null, now: NOW })).toBe(0);
    expect(sendRate({ sentInWindow: 0, windowSeconds: 30, startedAt: ago(60), now: NOW })).toBe(0);
  });
});

describe('etaSeconds', () => {
  test('is what is left over the rate, rounded up', () => {
    expect(etaSeconds({ remaining: 39, ratePerSecond: 1.5, running: true })).toBe(26);
    expect(etaSeconds({ remaining: 40, ratePerSecond: 1.5, running: true })).toBe(27);
  });

  test('is null when nothing moves, nothing is left, or the campaign is not running', () => {
    expect(etaSeconds({ remaining: 10, ratePerSecond: 0, running: true })).toBeNull();
    expect(etaSeconds({ remaining: 0, ratePerSecond: 4, running: true })).toBeNull();
    expect(etaSeconds({ remaining: 10, ratePerSecond: 4, running: false })).toBeNull();
  });
});

test('remainingCount adds pending, sending and retrying only', () => {
  expect(remainingCount({ pending: 3, sending: 2, retrying: 1, sent: 100, failed: 7 })).toBe(6);
  expect(remainingCount({})).toBe(0);
});

test('groupReasons has every reason status, and adds rows of one reason', () => {
  expect(groupReasons([])).toEqual({ skipped: {}, failed: {}, expired: {} });
  expect(
    groupReasons([
      { status: 'skipped', reason: 'suppressed', count: 3 },
      { status: 'failed', reason: '131026', count: 1 },
      { status: 'failed', reason: '131026', count: 2 },
    ]),
  ).toEqual({ skipped: { suppressed: 3 }, failed: { '131026': 3 }, expired: {} });
});
