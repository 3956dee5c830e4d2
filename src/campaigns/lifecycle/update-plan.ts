/**
 * PATCH /v1/campaigns/:id, decided: given the campaign as it is and the fields the caller sent,
 * which transition it is, which columns change and how the delayed launch job moves. Pure — the
 * caller reads the row, passes the time, and applies the plan. Every check create makes is made
 * again here for the fields that change (content like on create, send_time in the future for a
 * schedule, expires_at after now and after send_time, message_tag on facebook only).
 *
 * Only fields the request names are checked and written: a name change on a scheduled campaign
 * whose send_time has just passed is not refused for a send_time the caller did not touch.
 */
import { AppError } from '../../errors/index.js';
import { checkContent, checkContentOnChannel, type ChannelKind, type ContentType } from '../campaign-content.js';
import { planSend, normaliseSendType, type SendType } from '../send-schedule.js';
import { assertTransition, type CampaignAction, type CampaignStatus } from '../status-machine.js';
import { checkExpiry, checkMessageTag, type MessageTag } from './campaign-settings.js';
import type { TransitionColumn } from './guarded-transition.js';

export interface UpdateCampaignInput {
  name?: string;
  send_type?: 'schedule' | 'scheduled' | 'draft';
  send_time?: number;
  expires_at?: number | null;
  message_tag?: MessageTag | null;
  max_attempts?: number;
  max_retry_seconds?: number;
  content_type?: ContentType;
  content?: string;
  msg_param?: string | object;
}

/** The campaign as PATCH finds it. */
export interface CurrentCampaign {
  id: string;
  status: CampaignStatus;
  sendType: SendType;
  sendTime: Date | null;
  expiresAt: Date | null;
  contentType: ContentType;
  content: string | null;
  msgParam: unknown;
  channelKind: ChannelKind;
}

export interface UpdatePlan {
  action: CampaignAction;
  set: Partial<Record<TransitionColumn, unknown>>;
  /** How the delayed launch job moves after the commit. */
  launch: { removeFor?: { sendTime: Date | null }; enqueueAt?: Date };
}

function sameTime(a: Date | null, b: Date | null): boolean {
  return (a?.getTime() ?? null) === (b?.getTime() ?? null);
}

/**
 * @throws AppError CAMPAIGN_STATE_CONFLICT (not draft/scheduled), SEND_TIME_INVALID,
 *   VALIDATION_FAILED (expires_at, message_tag, msg_param), CONTENT_REQUIRED, CONTENT_NOT_SUPPORTED
 */
export function planUpdate(current: CurrentCampaign, input: UpdateCampaignInput, now: Date): UpdatePlan {
  assertTransition(current.status, 'edit', current.id);
  const set: UpdatePlan['set'] = {};
  if (input.name !== undefined) set.name = input.name;

  // Schedule: re-planned only when the request touches it.
  let sendType = current.sendType;
  let sendTime = current.sendTime;
  if (input.send_type !== undefined || input.send_time !== undefined) {
    sendType = input.send_type === undefined ? current.sendType : normaliseSendType(input.send_type);
    const seconds = input.send_time ?? (current.sendTime === null ? undefined : Math.floor(current.sendTime.getTime() / 1000));
    const plan = planSend(sendType === 'schedule' ? 'schedule' : 'draft', seconds, now);
    sendType = plan.sendType;
    sendTime = plan.sendTime;
    set.send_type = sendType;
    set.send_time = sendTime;
  }
  const scheduled = sendType === 'schedule';
  let action: CampaignAction = 'edit';
  const launch: UpdatePlan['launch'] = {};
  if (current.status === 'draft' && scheduled) {
    action = 'schedule';
    launch.enqueueAt = sendTime!;
  } else if (current.status === 'scheduled' && !scheduled) {
    action = 'unschedule';
    launch.removeFor = { sendTime: current.sendTime };
  } else if (current.status === 'scheduled' && !sameTime(sendTime, current.sendTime)) {
    action = 'reschedule';
    launch.removeFor = { sendTime: current.sendTime };
    launch.enqueueAt = sendTime!;
  }

  // Validity: checked when given, and re-checked when the start moves under an existing one.
  if (input.expires_at === null) set.expires_at = null;
  else if (input.expires_at !== undefined) set.expires_at = checkExpiry(input.expires_at, now, scheduled ? sendTime : null);
  else if (current.expiresAt !== null && action !== 'edit' && scheduled) {
    checkExpiry(Math.floor(current.expiresAt.getTime() / 1000), now, sendTime);
  }

  if (input.message_tag !== undefined) {
    checkMessageTag(input.message_tag, current.channelKind);
    set.message_tag = input.message_tag;
  }
  if (input.max_attempts !== undefined) set.max_attempts = input.max_attempts;
  if (input.max_retry_seconds !== undefined) set.max_retry_seconds = input.max_retry_seconds;

  if (input.content_type !== undefined || input.content !== undefined || input.msg_param !== undefined) {
    const contentType = input.content_type ?? current.contentType;
    const content = checkContent({
      content_type: contentType,
      content: input.content ?? current.content ?? undefined,
      msg_param: input.msg_param ?? (isObject(current.msgParam) ? current.msgParam : undefined),
    });
    checkContentOnChannel(contentType, current.channelKind);
    set.content_type = contentType;
    set.content = content.content;
    set.msg_param = content.msgParam === null ? null : JSON.stringify(content.msgParam);
  }

  if (Object.keys(set).length === 0) {
    throw new AppError('VALIDATION_FAILED', 'the body names no field to change', {});
  }
  return { action, set, launch };
}

function isObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
