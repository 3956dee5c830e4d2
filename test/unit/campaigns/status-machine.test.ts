import {
  allowedFrom,
  assertCanResendFailed,
  assertTransition,
  CAMPAIGN_STATUSES,
  TERMINAL_STATUSES,
  TRANSITIONS,
  type CampaignAction,
  type CampaignStatus,
} from '../../../src/campaigns/status-machine.js';
import { AppError } from '../../../src/errors/index.js';

function refusal(fn: () => unknown): AppError {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}

const ACTIONS: CampaignAction[] = [
  'launch', 'start', 'schedule', 'reschedule', 'unschedule', 'edit', 'pause', 'resume', 'cancel', 'complete', 'expire', 'fail',
];

test('the table: who may go where', () => {
  const edges = CAMPAIGN_STATUSES.flatMap((from) => Object.entries(TRANSITIONS[from]).map(([action, to]) => `${from} -${action}-> ${to}`));
  expect(edges.sort()).toEqual(
    [
      'draft -launch-> running', 'draft -schedule-> scheduled', 'draft -edit-> draft', 'draft -cancel-> cancelled', 'draft -expire-> expired',
      'scheduled -launch-> running', 'scheduled -start-> running', 'scheduled -reschedule-> scheduled', 'scheduled -edit-> scheduled',
      'scheduled -unschedule-> draft', 'scheduled -cancel-> cancelled', 'scheduled -expire-> expired',
      'running -pause-> paused', 'running -complete-> completed', 'running -cancel-> cancelled', 'running -expire-> expired', 'running -fail-> failed',
      'paused -resume-> running', 'paused -cancel-> cancelled', 'paused -expire-> expired',
    ].sort(),
  );
  expect([...TERMINAL_STATUSES].sort()).toEqual(['cancelled', 'completed', 'expired', 'failed']);
});

test('assertTransition answers the next status, or 409 naming the current one', () => {
  expect(assertTransition('running', 'pause')).toBe('paused');
  expect(assertTransition('paused', 'resume')).toBe('running');
  for (const from of CAMPAIGN_STATUSES) {
    for (const action of ACTIONS) {
      const to = TRANSITIONS[from][action];
      if (to !== undefined) {
        expect(assertTransition(from, action)).toBe(to);
        continue;
      }
      const err = refusal(() => assertTransition(from, action, 'c-1'));
      expect(err.code).toBe('CAMPAIGN_STATE_CONFLICT');
      expect(err.httpStatus).toBe(409);
      expect(err.details).toMatchObject({ status: from, allowed: allowedFrom(action) });
    }
  }
});

test('nothing leaves a terminal status', () => {
  for (const status of TERMINAL_STATUSES) {
    for (const action of ACTIONS) expect(() => assertTransition(status, action)).toThrow(AppError);
  }
});

test('allowedFrom is the guard of the SQL', () => {
  expect(allowedFrom('cancel')).toEqual(['draft', 'scheduled', 'running', 'paused']);
  expect(allowedFrom('pause')).toEqual(['running']);
  expect(allowedFrom('launch')).toEqual(['draft', 'scheduled']);
});

test('resend to failed takes ended campaigns only', () => {
  for (const status of ['completed', 'cancelled', 'expired', 'failed'] as CampaignStatus[]) expect(() => assertCanResendFailed(status)).not.toThrow();
  for (const status of ['draft', 'scheduled', 'running', 'paused'] as CampaignStatus[]) {
    expect(refusal(() => assertCanResendFailed(status)).details).toMatchObject({ status });
  }
});
