/**
 * When a new campaign goes out, decided from seed 001's send_type / send_time. Pure: the time is
 * an argument.
 */
import { AppError } from '../errors/index.js';

export type SendType = 'immediately' | 'schedule' | 'draft';
/** What the API accepts: the seed's own example writes "scheduled", so we take both spellings. */
export type SendTypeInput = SendType | 'scheduled';

export interface SendPlan {
  sendType: SendType;
  /** The status the campaign is created in. */
  status: 'running' | 'scheduled' | 'draft';
  /** send_time as a Date, when one was given (kept for drafts too, as the seed's example does). */
  sendTime: Date | null;
}

export function normaliseSendType(input: SendTypeInput): SendType {
  return input === 'scheduled' ? 'schedule' : input;
}

/**
 * @param sendTime Unix seconds, as in seed 001.
 * @throws AppError SEND_TIME_INVALID when a scheduled campaign has no send_time or one not in the future.
 */
export function planSend(input: SendTypeInput, sendTime: number | undefined, now: Date): SendPlan {
  const sendType = normaliseSendType(input);
  const at = sendTime === undefined ? null : new Date(sendTime * 1000);
  if (sendType === 'schedule') {
    if (at === null) {
      throw new AppError('SEND_TIME_INVALID', 'send_time (Unix seconds) is required when send_type is schedule', { field: 'send_time' });
    }
    if (at.getTime() <= now.getTime()) {
      throw new AppError('SEND_TIME_INVALID', `send_time ${sendTime} is not in the future (now is ${Math.floor(now.getTime() / 1000)})`, {
        field: 'send_time',
        details: { now: Math.floor(now.getTime() / 1000) },
      });
    }
  }
  const status = sendType === 'immediately' ? 'running' : sendType === 'schedule' ? 'scheduled' : 'draft';
  return { sendType, status, sendTime: at };
}
