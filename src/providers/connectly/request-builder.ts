/**
 * Connectly request bodies (seed 002 and the templated-message page), built as pure data so
 * contract tests can compare them with the seed's examples without HTTP.
 *
 * Our assumption: seed 002's request schema has a client-supplied `message.id`; we carry the
 * idempotency key there (and in `callbackData` for templates) so a retried send is recognisable.
 */
import { assertContentSupported } from '../capabilities.js';
import type { OutboundMessage } from '../types.js';
import { connectlyMessageContent, type ConnectlyMessage } from './session-content.js';
import type { ConnectlySendDefaults } from './settings.js';
import { toConnectlyParameters, type ConnectlyTemplateParameter } from './template-parameters.js';

export type { ConnectlyAttachment, ConnectlyHeader, ConnectlyMessage } from './session-content.js';

export interface ConnectlyParty {
  id: string;
  channelType: string;
}

/** POST /v1/businesses/{businessId}/send/messages */
export interface ConnectlySessionRequest {
  sender: ConnectlyParty;
  recipient: ConnectlyParty;
  message: ConnectlyMessage;
  campaignName?: string;
}

/** POST /v1/businesses/{businessId}/send/whatsapp_templated_messages */
export interface ConnectlyTemplateRequest {
  number: string;
  templateName: string;
  language: string;
  parameters?: ConnectlyTemplateParameter[];
  /** UNVERIFIED shape: the sender phone number as a string. */
  sender?: string;
  callbackData?: string;
  campaignName?: string;
}

export type ConnectlyRequest =
  | { endpoint: 'send/messages'; body: ConnectlySessionRequest }
  | { endpoint: 'send/whatsapp_templated_messages'; body: ConnectlyTemplateRequest };

/**
 * Builds the request for one outbound message. Throws a permanent ProviderError before sending
 * for content the channel cannot carry (CONTENT_NOT_SUPPORTED, e.g. a template or a list outside
 * WhatsApp — see capabilities.ts) or cannot be mapped. `message.sessionId` is ignored: Connectly
 * has no sessions.
 */
export function buildConnectlyRequest(defaults: ConnectlySendDefaults, message: OutboundMessage): ConnectlyRequest {
  const content = message.content;
  assertContentSupported('connectly', content.kind, defaults.kind);
  if (content.kind === 'template') {
    const parameters = toConnectlyParameters(content.template);
    const body: ConnectlyTemplateRequest = {
      number: message.to,
      templateName: content.template.name,
      language: content.template.language.code,
      ...(parameters.length > 0 ? { parameters } : {}),
      sender: defaults.senderId,
      callbackData: message.idempotencyKey,
      ...(message.campaignName ? { campaignName: message.campaignName } : {}),
    };
    return { endpoint: 'send/whatsapp_templated_messages', body };
  }
  const msg: ConnectlyMessage = { id: message.idempotencyKey, ...connectlyMessageContent(content) };
  const body: ConnectlySessionRequest = {
    sender: { id: defaults.senderId, channelType: defaults.channelType },
    recipient: { id: message.to, channelType: defaults.channelType },
    message: msg,
    ...(message.campaignName ? { campaignName: message.campaignName } : {}),
  };
  return { endpoint: 'send/messages', body };
}
