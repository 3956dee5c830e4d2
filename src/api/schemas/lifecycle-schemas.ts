/**
 * Requests and answers of the lifecycle routes: pause, resume, cancel, PATCH and resend-failed.
 */
import { Type, type Static } from 'typebox';
import { MAX_UNIX_SECONDS, Nullable, Timestamp } from './common-schemas.js';
import { Counts, SettingsFields } from './campaign-schemas.js';

/** Every editable field of a draft or scheduled campaign; at least one. */
export const UpdateCampaignBody = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
    send_type: Type.Optional(
      Type.Enum(['schedule', 'scheduled', 'draft'], {
        description: 'schedule (re)schedules at send_time; draft takes a scheduled campaign off the calendar. To send now, POST …/launch.',
      }),
    ),
    send_time: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_UNIX_SECONDS, description: 'Unix seconds; in the future for a scheduled campaign.' })),
    expires_at: Type.Optional(Nullable(SettingsFields.expires_at)),
    message_tag: Type.Optional(Nullable(SettingsFields.message_tag)),
    max_attempts: Type.Optional(SettingsFields.max_attempts),
    max_retry_seconds: Type.Optional(SettingsFields.max_retry_seconds),
    content_type: Type.Optional(Type.Enum(['text', 'document', 'template'])),
    content: Type.Optional(Type.String()),
    msg_param: Type.Optional(Type.Union([Type.String(), Type.Object({})])),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateCampaignBody = Static<typeof UpdateCampaignBody>;

/** Where a campaign stands after pause, resume or cancel. */
export const LifecycleAnswerBody = Type.Object({
  id: Type.String(),
  status: Type.String(),
  paused_at: Timestamp,
  cancelled_at: Timestamp,
  counts: Counts,
});

export const CancelledCampaignBody = Type.Object({
  id: Type.String(),
  status: Type.String(),
  paused_at: Timestamp,
  cancelled_at: Timestamp,
  counts: Counts,
  recipients_cancelled: Type.Integer({
    description: 'Pending and retrying recipients now cancelled. Those in counts.sending are mid-send and keep their real outcome.',
  }),
});

export const ResendFailedBody = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
    send_type: Type.Optional(Type.Enum(['immediately', 'schedule', 'scheduled', 'draft'], { description: 'Default immediately.' })),
    send_time: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_UNIX_SECONDS })),
    expires_at: Type.Optional(SettingsFields.expires_at),
  },
  { additionalProperties: false },
);
export type ResendFailedBody = Static<typeof ResendFailedBody>;

export const ResentCampaignBody = Type.Object({
  id: Type.String(),
  status: Type.Enum(['running', 'scheduled', 'draft']),
  recipient_count: Type.Integer(),
  source_campaign_id: Type.String(),
});
