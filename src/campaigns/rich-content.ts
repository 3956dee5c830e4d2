/**
 * Rich content (content_type `interactive`): one seed 002 message object — attachment, location,
 * list, reply buttons, single or multi product — given as a MessageContent (`{kind, …}`, see
 * src/providers/message-content.ts), for campaigns and one-off messages alike. The request schema
 * has checked its shape already; what is left is what needs the channel:
 * - can the channel's provider send this kind on this channel kind (providers/capabilities.ts)?
 *   A list on Yeastar, or a product on an SMS channel, is a 400 naming the field — not a provider
 *   error for every recipient later.
 * A `msg_param` given beside it is the template sent instead when the 24-hour window is closed,
 * as for text campaigns. Pure.
 */
import { Value } from 'typebox/value';
import { AppError } from '../errors/index.js';
import { RICH_KINDS, type RichKind } from '../policy/render-content.js';
import { supportedContentKinds, supportsContent } from '../providers/capabilities.js';
import type { ChannelKind, ContentKind, ProviderName } from '../providers/types.js';
import { RICH_MESSAGE_SCHEMAS } from './rich-message-schemas.js';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The rich message object of an interactive request, checked against its kind's schema.
 * @throws AppError CONTENT_REQUIRED (field `message`) when there is none, VALIDATION_FAILED
 *   (field `message.kind`, or the first field at fault, e.g. `message.buttons`) when it is not a
 *   valid message of a rich kind.
 */
export function checkRichMessage(message: unknown): Record<string, unknown> {
  if (!isObject(message)) {
    throw new AppError('CONTENT_REQUIRED', 'message (the rich message object) is required for content_type interactive', { field: 'message' });
  }
  if (!(RICH_KINDS as readonly unknown[]).includes(message.kind)) {
    throw new AppError('VALIDATION_FAILED', `message.kind must be one of ${RICH_KINDS.join(', ')}`, { field: 'message.kind' });
  }
  const first = [...Value.Errors(RICH_MESSAGE_SCHEMAS[message.kind as RichKind], message)][0];
  if (first) {
    const field = fieldOf(first);
    throw new AppError('VALIDATION_FAILED', `${field} ${first.message ?? 'is invalid'} (a ${String(message.kind)} message)`, { field });
  }
  return message;
}

/** `/sections/0/rows` → `message.sections[0].rows`; a missing property is named itself. */
function fieldOf(error: { instancePath: string; keyword: string; params: unknown }): string {
  const segments = error.instancePath.split('/').slice(1);
  const missing = (error.params as { requiredProperties?: unknown }).requiredProperties;
  if (error.keyword === 'required' && Array.isArray(missing) && typeof missing[0] === 'string') segments.push(missing[0]);
  return segments.reduce((path, s) => (/^\d+$/.test(s) ? `${path}[${s}]` : `${path}.${s}`), 'message');
}

/**
 * Refuses a content kind the channel's provider cannot send on its kind of channel.
 * @param field the request field to name (e.g. `message.kind`, `content_type`).
 * @throws AppError CONTENT_NOT_SUPPORTED
 */
export function checkKindOnChannel(kind: ContentKind, channel: { provider: ProviderName; kind: ChannelKind }, field: string): void {
  if (supportsContent(channel.provider, kind, channel.kind)) return;
  const can = supportedContentKinds(channel.provider, channel.kind);
  throw new AppError(
    'CONTENT_NOT_SUPPORTED',
    `${channel.provider} cannot send ${kind} content on a ${channel.kind} channel; it sends ${can.join(', ')} there`,
    { field, details: { provider: channel.provider, channel_kind: channel.kind, supported: can } },
  );
}
