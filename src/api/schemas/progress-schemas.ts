/**
 * Progress fields of a campaign answer, and the campaign list (GET /v1/campaigns).
 * See src/campaigns/progress.ts for how each number is worked out.
 */
import { Type } from 'typebox';
import { CAMPAIGN_STATUSES } from '../../campaigns/campaign-view.js';
import { RATE_WINDOW_SECONDS } from '../../campaigns/progress.js';
import { Nullable, Timestamp } from './common-schemas.js';

const ReasonCounts = Type.Record(Type.String(), Type.Integer());

/**
 * Spread into a campaign answer's properties. Optional in the schema because only the read of a
 * single campaign works them out (answers built elsewhere from the same view may lack them);
 * GET /v1/campaigns/:id always has them.
 */
export const ProgressProperties = {
  rate_per_second: Type.Optional(
    Type.Number({ minimum: 0, description: `Sends per second over the last ${RATE_WINDOW_SECONDS} s (by sent_at).` }),
  ),
  eta_seconds: Type.Optional(
    Nullable(
      Type.Integer({
        minimum: 0,
        description: 'Seconds until the pending, sending and retrying recipients are sent at that rate; null when finished or not sending.',
      }),
    ),
  ),
  reasons: Type.Optional(
    Type.Object(
      { skipped: ReasonCounts, failed: ReasonCounts, expired: ReasonCounts },
      {
        description:
          'Why recipients ended unsent: skipped and expired by reason (e.g. suppressed), failed by the provider error code.',
      },
    ),
  ),
};

export const CampaignListQuery = Type.Object({
  status: Type.Optional(Type.Enum(CAMPAIGN_STATUSES)),
  cursor: Type.Optional(Type.String({ description: 'next_cursor of the previous page.' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
});

export const CampaignSummaryBody = Type.Object({
  id: Type.String(),
  name: Type.String(),
  channel_id: Type.String(),
  status: Type.String(),
  content_type: Type.String(),
  send_type: Type.String(),
  recipient_count: Type.Integer(),
  failure_reason: Nullable(Type.String()),
  created_at: Type.String({ format: 'date-time' }),
  launched_at: Timestamp,
  started_at: Timestamp,
  finished_at: Timestamp,
});

export const CampaignPageBody = Type.Object({
  items: Type.Array(CampaignSummaryBody, { description: 'Newest first.' }),
  next_cursor: Nullable(Type.String()),
});
