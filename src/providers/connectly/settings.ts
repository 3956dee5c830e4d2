/**
 * A Connectly channel row read into a typed account. Misconfiguration fails once, here, with a
 * permanent error naming the setting.
 */
import { isRecord } from '../answer-utils.js';
import { ProviderError } from '../provider-error.js';
import type { ChannelKind, ChannelSpec } from '../types.js';

export const DEFAULT_CONNECTLY_BASE_URL = 'https://api.connectly.ai';

/** Connectly's `channelType` for each of our channel kinds. */
export const CONNECTLY_CHANNEL_TYPE: Readonly<Record<ChannelKind, string>> = {
  sms: 'sms',
  whatsapp: 'whatsapp',
  facebook: 'facebook', // UNVERIFIED: seed 002 names only whatsapp and sms; Messenger may be spelt otherwise
};

export interface ConnectlySendDefaults {
  /** The sender phone number (channel.senderId). */
  senderId: string;
  /** Connectly's channelType for both sender and recipient. */
  channelType: string;
  kind: ChannelKind;
}

export interface ConnectlyAccount extends ConnectlySendDefaults {
  baseUrl: string;
  businessId: string;
  apiKey: string;
}

/** Reads and checks a Connectly channel. Throws a permanent ProviderError naming the bad setting. */
export function readConnectlyAccount(channel: ChannelSpec): ConnectlyAccount {
  const s = channel.settings;
  const c = channel.credentials;
  const baseUrl = (s.baseUrl === undefined ? DEFAULT_CONNECTLY_BASE_URL : requireString(s.baseUrl, 'settings.baseUrl')).replace(/\/+$/, '');
  if (!/^https?:\/\//.test(baseUrl)) misconfigured('settings.baseUrl', 'must be an http(s) URL');
  return {
    baseUrl,
    businessId: requireString(s.businessId, 'settings.businessId'),
    apiKey: requireString(isRecord(c) ? c.apiKey : undefined, 'credentials.apiKey'),
    senderId: requireString(channel.senderId, 'senderId'),
    channelType: CONNECTLY_CHANNEL_TYPE[channel.kind],
    kind: channel.kind,
  };
}

function requireString(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '') misconfigured(field, 'is required');
  return value;
}

function misconfigured(field: string, what: string): never {
  throw new ProviderError({
    provider: 'connectly',
    errorClass: 'permanent',
    providerCode: 'CHANNEL_MISCONFIGURED',
    providerMessage: `channel ${field} ${what}`,
    field,
  });
}
