/**
 * Channel requests and answers. The settings and credentials a channel needs depend on its
 * provider; they are described per provider here and checked by the route after the common shape
 * (a single JSON-schema union would make every error read "must match a schema in anyOf").
 * Extra properties are kept, so a provider may grow settings without an API change.
 */
import { Type, type Static } from 'typebox';

const HTTP_URL = '^https?://[^\\s/?#]+[^\\s]*$';

/**
 * The secret the provider signs its webhooks with (Yeastar X-Signature, Connectly
 * x-connectly-hmac-sha256); without one, every webhook for the channel is refused with 401.
 * 16 characters at least: it is an HMAC key, and a short one can be guessed offline from one
 * signed event.
 */
const WebhookSecret = Type.Optional(
  Type.String({ minLength: 16, maxLength: 512, description: 'Signs the webhooks of this channel (POST /v1/webhooks/<provider>/<channel id>). Never returned.' }),
);

export const YeastarSettings = Type.Object({
  baseUrl: Type.String({ pattern: HTTP_URL, description: 'The PBX OpenAPI base, e.g. https://pbx.example.com/openapi/v1.0.' }),
  channelType: Type.String({ minLength: 1, description: "Yeastar's `channel`: whatsapp, facebook, or an SMS trunk name (twilio, telnyx, general…)." }),
  senderType: Type.Optional(Type.Integer({ description: '9 = third party via API (default), 1 = extension.' })),
  senderNo: Type.Optional(Type.String({ minLength: 1, description: 'The extension number when senderType is 1.' })),
});

export const YeastarCredentials = Type.Object({
  clientId: Type.String({ minLength: 1 }),
  clientSecret: Type.String({ minLength: 1 }),
  webhookSecret: WebhookSecret,
});

export const ConnectlySettings = Type.Object({
  businessId: Type.String({ minLength: 1 }),
  baseUrl: Type.Optional(Type.String({ pattern: HTTP_URL, description: 'Defaults to https://api.connectly.ai.' })),
});

export const ConnectlyCredentials = Type.Object({
  apiKey: Type.String({ minLength: 1 }),
  webhookSecret: WebhookSecret,
});

/** Settings and credentials schemas per provider. */
export const PROVIDER_CONFIG_SCHEMAS = {
  yeastar: { settings: YeastarSettings, credentials: YeastarCredentials },
  connectly: { settings: ConnectlySettings, credentials: ConnectlyCredentials },
} as const;

export const CreateChannelBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 200 }),
  provider: Type.Enum(['yeastar', 'connectly']),
  kind: Type.Enum(['sms', 'whatsapp', 'facebook']),
  sender_id: Type.String({ minLength: 1, description: 'The number or page id we send from (Yeastar did_number, Connectly sender).' }),
  rate_per_second: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000, default: 20, description: 'Messages per second this channel may send (default 20).' })),
  settings: Type.Object({}, { description: 'Provider settings: YeastarSettings or ConnectlySettings.' }),
  credentials: Type.Object({}, { description: 'Provider secrets: YeastarCredentials or ConnectlyCredentials. Never returned.' }),
});

export type CreateChannelBody = Static<typeof CreateChannelBody>;

/** A channel as the API shows it: never its credentials. */
export const ChannelView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  provider: Type.String(),
  kind: Type.String(),
  sender_id: Type.String(),
  rate_per_second: Type.Integer(),
  settings: Type.Record(Type.String(), Type.Unknown()),
  created_at: Type.String({ format: 'date-time' }),
  updated_at: Type.String({ format: 'date-time' }),
});

export const ChannelList = Type.Object({ items: Type.Array(ChannelView) });
