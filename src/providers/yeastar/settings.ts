/**
 * A Yeastar channel row read into a typed account. A misconfigured channel fails here, once,
 * with a permanent error naming the setting — not on every send.
 */
import { isRecord } from '../answer-utils.js';
import { ProviderError } from '../provider-error.js';
import type { ChannelSpec } from '../types.js';

/** What message/send needs besides the message (all from the channel). */
export interface YeastarSendDefaults {
  /** Yeastar's `channel` parameter: whatsapp | facebook | an SMS trunk name (twilio, telnyx, general…). */
  channelType: string;
  /** The DID number of the channel (`did_number`). */
  didNumber: string;
  /** 9 = third party via API (default); 1 = extension, with senderNo the extension number. */
  senderType: number;
  senderNo?: string;
}

export interface YeastarAccount extends YeastarSendDefaults {
  /** Ends with /openapi/v1.0, without a trailing slash. */
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  /** The PBX's id of this messaging channel, narrowing template lookups (`omnichannel_id`). */
  omnichannelId?: number;
}

/** Sender type 9: a third-party application sending through the API. */
export const SENDER_TYPE_THIRD_PARTY = 9;

/** Reads and checks a Yeastar channel. Throws a permanent ProviderError naming the bad setting. */
export function readYeastarAccount(channel: ChannelSpec): YeastarAccount {
  const s = channel.settings;
  const c = channel.credentials;
  const baseUrl = requireString(s.baseUrl, 'settings.baseUrl').replace(/\/+$/, '');
  if (!/^https?:\/\//.test(baseUrl)) misconfigured('settings.baseUrl', 'must be an http(s) URL');
  const senderType = s.senderType === undefined ? SENDER_TYPE_THIRD_PARTY : s.senderType;
  if (typeof senderType !== 'number' || !Number.isInteger(senderType)) misconfigured('settings.senderType', 'must be an integer');
  const omnichannelId = s.omnichannelId;
  if (omnichannelId !== undefined && !(typeof omnichannelId === 'number' && Number.isInteger(omnichannelId))) {
    misconfigured('settings.omnichannelId', 'must be an integer');
  }
  return {
    baseUrl,
    channelType: requireString(s.channelType, 'settings.channelType'),
    didNumber: requireString(channel.senderId, 'senderId'),
    senderType,
    senderNo: s.senderNo === undefined ? undefined : requireString(s.senderNo, 'settings.senderNo'),
    clientId: requireString(isRecord(c) ? c.clientId : undefined, 'credentials.clientId'),
    clientSecret: requireString(isRecord(c) ? c.clientSecret : undefined, 'credentials.clientSecret'),
    ...(omnichannelId === undefined ? {} : { omnichannelId }),
  };
}

function requireString(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '') misconfigured(field, 'is required');
  return value;
}

function misconfigured(field: string, what: string): never {
  throw new ProviderError({
    provider: 'yeastar',
    errorClass: 'permanent',
    providerCode: 'CHANNEL_MISCONFIGURED',
    providerMessage: `channel ${field} ${what}`,
    field,
  });
}
