/**
 * The campaign status machine: the one place that says which action may move a campaign from which
 * status to which. Everything that changes `campaigns.status` — the API's launch, pause, resume,
 * cancel, PATCH and expiry, and the worker's start/complete/expire/fail — asks this table, and the
 * SQL that applies a transition is guarded by the same table (`WHERE status = ANY(allowedFrom(…))`),
 * so two concurrent requests cannot both win.
 *
 * Terminology
 * - action: what someone asks for (`pause`) — not the status it leads to (`paused`).
 * - terminal status: one with no way out (completed, cancelled, expired, failed). A campaign that
 *   ended is never restarted; "resend to failed" creates a new campaign instead.
 *
 * The table, and why each edge exists:
 * - draft → scheduled (`schedule`: PATCH with send_type schedule), running (`launch`), cancelled,
 *   expired (`expire`: a draft launched after its expires_at is marked expired instead), draft
 *   (`edit`: PATCH).
 * - scheduled → running (`launch` early by the API, or `start` by the worker at send_time),
 *   scheduled (`reschedule` / `edit`), draft (`unschedule`: PATCH with send_type draft — taking a
 *   campaign off the calendar without losing it), cancelled, expired (expires_at passed before it
 *   started).
 * - running → paused, completed (worker: nothing left to send), cancelled, expired (worker: the
 *   validity ran out mid-send), failed (worker: the campaign as a whole cannot go on).
 * - paused → running (`resume`), cancelled, expired (resumed after its expires_at). Not completed:
 *   completion is the worker's call and the worker only finishes running campaigns; a paused
 *   campaign whose last in-flight sends finished completes on resume.
 * - running and paused are not editable: their ledger is being worked on, so content or schedule
 *   changes would apply to some recipients and not others.
 */
import { AppError } from '../errors/index.js';
import type { CampaignStatus } from '../generated/prisma/enums.js';

export type { CampaignStatus };

export type CampaignAction =
  | 'launch'
  | 'start'
  | 'schedule'
  | 'reschedule'
  | 'unschedule'
  | 'edit'
  | 'pause'
  | 'resume'
  | 'cancel'
  | 'complete'
  | 'expire'
  | 'fail';

/** For each status, the actions allowed from it and the status each leads to. */
export const TRANSITIONS: Readonly<Record<CampaignStatus, Readonly<Partial<Record<CampaignAction, CampaignStatus>>>>> = {
  draft: { launch: 'running', schedule: 'scheduled', edit: 'draft', cancel: 'cancelled', expire: 'expired' },
  scheduled: {
    launch: 'running',
    start: 'running',
    reschedule: 'scheduled',
    edit: 'scheduled',
    unschedule: 'draft',
    cancel: 'cancelled',
    expire: 'expired',
  },
  running: { pause: 'paused', complete: 'completed', cancel: 'cancelled', expire: 'expired', fail: 'failed' },
  paused: { resume: 'running', cancel: 'cancelled', expire: 'expired' },
  completed: {},
  cancelled: {},
  expired: {},
  failed: {},
};

export const CAMPAIGN_STATUSES = Object.keys(TRANSITIONS) as CampaignStatus[];

/** Statuses with no way out. */
export const TERMINAL_STATUSES: readonly CampaignStatus[] = CAMPAIGN_STATUSES.filter(
  (s) => Object.keys(TRANSITIONS[s]).length === 0,
);

/**
 * Sources "resend to failed" accepts: ended campaigns only. While a campaign is running or paused
 * its set of failed recipients is still growing, so a copy taken then would miss later failures and
 * invite a second resend of the same numbers; cancel it first.
 */
export const RESEND_FAILED_FROM: readonly CampaignStatus[] = TERMINAL_STATUSES;

/** What the message of a refused action says is allowed. */
const ACTION_PHRASES: Record<CampaignAction, string> = {
  launch: 'launched',
  start: 'started',
  schedule: 'scheduled',
  reschedule: 'rescheduled',
  unschedule: 'turned back into a draft',
  edit: 'edited',
  pause: 'paused',
  resume: 'resumed',
  cancel: 'cancelled',
  complete: 'completed',
  expire: 'expired',
  fail: 'failed',
};

/** The status `action` leads to from `from`, or undefined when it is not allowed. */
export function nextStatus(from: CampaignStatus, action: CampaignAction): CampaignStatus | undefined {
  return TRANSITIONS[from][action];
}

/** Every status from which `action` is allowed (the guard of the SQL that applies it). */
export function allowedFrom(action: CampaignAction): CampaignStatus[] {
  return CAMPAIGN_STATUSES.filter((s) => TRANSITIONS[s][action] !== undefined);
}

/** The 409 for an action refused in `status`; `details.status` is the state the caller met. */
export function stateConflict(id: string | undefined, status: CampaignStatus, action: CampaignAction): AppError {
  const allowed = allowedFrom(action);
  const subject = id === undefined ? 'the campaign' : `campaign ${id}`;
  return new AppError(
    'CAMPAIGN_STATE_CONFLICT',
    `${subject} is ${status}; only ${allowed.join(' or ')} campaigns can be ${ACTION_PHRASES[action]}`,
    { details: { status, allowed } },
  );
}

/**
 * @returns the status `action` leads to from `from`.
 * @throws AppError CAMPAIGN_STATE_CONFLICT (409) with the current status in `details.status`.
 */
export function assertTransition(from: CampaignStatus, action: CampaignAction, id?: string): CampaignStatus {
  const to = nextStatus(from, action);
  if (to === undefined) throw stateConflict(id, from, action);
  return to;
}

/** @throws AppError CAMPAIGN_STATE_CONFLICT unless "resend to failed" may copy a campaign in `status`. */
export function assertCanResendFailed(status: CampaignStatus, id?: string): void {
  if (RESEND_FAILED_FROM.includes(status)) return;
  const subject = id === undefined ? 'the campaign' : `campaign ${id}`;
  throw new AppError(
    'CAMPAIGN_STATE_CONFLICT',
    `${subject} is ${status}; failed recipients can be resent only from a ${RESEND_FAILED_FROM.join(', ')} campaign (cancel it first)`,
    { details: { status, allowed: [...RESEND_FAILED_FROM] } },
  );
}
