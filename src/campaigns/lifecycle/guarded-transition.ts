/**
 * Applying one status-machine transition in SQL, guarded so that two concurrent requests cannot
 * both win: one statement locks the campaign row, checks its status against the statuses the
 * action is allowed from, and writes the new status (plus the caller's columns) only if it matches.
 * The loser's statement waits on the row lock, then sees the winner's committed status and matches
 * nothing; it answers 409 with that status — the state it lost to.
 *
 * The `FOR UPDATE` sub-select is what makes `previous_status` trustworthy: it returns the row as
 * it is after any concurrent writer committed, not as the statement's snapshot saw it.
 */
import type pg from 'pg';
import { AppError } from '../../errors/index.js';
import {
  allowedFrom,
  assertTransition,
  nextStatus,
  stateConflict,
  type CampaignAction,
  type CampaignStatus,
} from '../status-machine.js';
import { isUuid } from '../uuid.js';

/** A pool or a client inside a transaction. */
export type Queryable = Pick<pg.ClientBase, 'query'>;

/** Columns a transition may write besides status. Names come from code, never from a request. */
const COLUMN_CASTS = {
  name: '',
  content_type: '::"ContentType"',
  content: '',
  msg_param: '::jsonb',
  send_type: '::"SendType"',
  send_time: '::timestamptz',
  expires_at: '::timestamptz',
  max_attempts: '::int',
  max_retry_seconds: '::int',
  message_tag: '',
  paused_at: '::timestamptz',
  cancelled_at: '::timestamptz',
  launched_at: '::timestamptz',
  finished_at: '::timestamptz',
  enqueue_cursor: '::bigint',
  fan_out_completed_at: '::timestamptz',
  failure_reason: '',
} as const;

export type TransitionColumn = keyof typeof COLUMN_CASTS;

export interface TransitionRequest {
  id: string;
  action: CampaignAction;
  /**
   * The status the caller decided from, when its decision depends on it (launch, PATCH): the
   * guard is then that exact status. Without it the guard is every status the action is allowed
   * from, and the action must lead to one status from all of them.
   */
  observed?: CampaignStatus;
  set?: Partial<Record<TransitionColumn, unknown>>;
}

export interface TransitionedCampaign {
  id: string;
  previousStatus: CampaignStatus;
  status: CampaignStatus;
  sendTime: Date | null;
  expiresAt: Date | null;
  /** The database clock at the transition, in microseconds: unique per transition of a campaign. */
  transitionMicros: number;
}

export function campaignNotFound(id: string): AppError {
  return new AppError('CAMPAIGN_NOT_FOUND', `no campaign with id ${id}`);
}

/** The status an action leads to when applied without an observed status. */
function singleTarget(action: CampaignAction): CampaignStatus {
  const targets = new Set(allowedFrom(action).map((s) => nextStatus(s, action)));
  const [only] = targets;
  if (targets.size !== 1 || only === undefined) {
    throw new Error(`action ${action} leads to different statuses; pass the observed status`);
  }
  return only;
}

/**
 * Applies `action` to campaign `id`.
 * @throws AppError CAMPAIGN_NOT_FOUND, or CAMPAIGN_STATE_CONFLICT (409) with the status it met.
 */
export async function applyTransition(db: Queryable, request: TransitionRequest): Promise<TransitionedCampaign> {
  const { id, action, observed } = request;
  if (!isUuid(id)) throw campaignNotFound(id);
  const to = observed === undefined ? singleTarget(action) : assertTransition(observed, action, id);
  const guard = observed === undefined ? allowedFrom(action) : [observed];

  const params: unknown[] = [id, to, guard];
  const assignments = Object.entries(request.set ?? {}).map(([column, value]) => {
    params.push(value);
    return `${column} = $${params.length}${COLUMN_CASTS[column as TransitionColumn]}`;
  });
  const { rows } = await db.query<{
    id: string;
    previous_status: CampaignStatus;
    status: CampaignStatus;
    send_time: Date | null;
    expires_at: Date | null;
    transition_us: string;
  }>(
    `UPDATE campaigns c
        SET status = $2::"CampaignStatus", updated_at = now()${assignments.map((a) => `, ${a}`).join('')}
       FROM (SELECT id, status FROM campaigns WHERE id = $1 FOR UPDATE) AS current
      WHERE c.id = current.id AND current.status = ANY($3::"CampaignStatus"[])
  RETURNING c.id, current.status AS previous_status, c.status, c.send_time, c.expires_at,
            (extract(epoch FROM clock_timestamp()) * 1000000)::bigint AS transition_us`,
    params,
  );
  const row = rows[0];
  if (row) {
    return {
      id: row.id,
      previousStatus: row.previous_status,
      status: row.status,
      sendTime: row.send_time,
      expiresAt: row.expires_at,
      transitionMicros: Number(row.transition_us),
    };
  }
  throw await refusal(db, id, action);
}

/** Why a guarded update matched nothing: the campaign is gone, or in a state the action refuses. */
async function refusal(db: Queryable, id: string, action: CampaignAction): Promise<AppError> {
  const { rows } = await db.query<{ status: CampaignStatus }>('SELECT status FROM campaigns WHERE id = $1', [id]);
  const status = rows[0]?.status;
  if (status === undefined) return campaignNotFound(id);
  if (nextStatus(status, action) === undefined) return stateConflict(id, status, action);
  // Allowed from where it is now, but not from where the caller saw it: it moved meanwhile.
  return new AppError('CAMPAIGN_STATE_CONFLICT', `campaign ${id} changed to ${status} while the request ran; read it and try again`, {
    details: { status },
  });
}

/** The current status, for decisions that depend on it; null when there is no such campaign. */
export async function readStatus(db: Queryable, id: string): Promise<CampaignStatus | null> {
  if (!isUuid(id)) return null;
  const { rows } = await db.query<{ status: CampaignStatus }>('SELECT status FROM campaigns WHERE id = $1', [id]);
  return rows[0]?.status ?? null;
}
