/**
 * Which content kinds each provider can send, as one table per provider, so the API can refuse a
 * campaign up front and the clients refuse the same things at their boundary (CONTENT_NOT_SUPPORTED).
 *
 * Yeastar's message/send carries text, one uploaded file (`files`) or a WhatsApp template — nothing
 * interactive. A media file by URL (`attachment`) is not offered on Yeastar either: its File_Info
 * `uri` is PBX-relative ("20250725/65a7…"), so files go through `uploadFiles` and the `document`
 * kind instead. (UNVERIFIED whether the PBX would fetch an absolute URL given as `uri`.)
 *
 * Connectly carries every seed 002 kind. Interactive and catalog kinds are WhatsApp features;
 * templates are WhatsApp only (templated-message endpoint). Which kinds Connectly carries on SMS and
 * Messenger is UNVERIFIED: we allow text and media there, as the existing client did.
 */
import { CONTENT_KINDS, type ContentKind } from './message-content.js';
import { ProviderError } from './provider-error.js';
import type { ChannelKind, ProviderName } from './types.js';

type KindTable = Readonly<Record<ContentKind, readonly ChannelKind[]>>;

const ALL: readonly ChannelKind[] = ['sms', 'whatsapp', 'facebook'];
const WHATSAPP: readonly ChannelKind[] = ['whatsapp'];
const NONE: readonly ChannelKind[] = [];

/** provider → content kind → the channel kinds it works on (empty: not at all). */
export const CONTENT_SUPPORT: Readonly<Record<ProviderName, KindTable>> = {
  yeastar: {
    text: ALL,
    document: ALL,
    template: WHATSAPP,
    attachment: NONE,
    location: NONE,
    list: NONE,
    reply_buttons: NONE,
    product: NONE,
    multi_product: NONE,
  },
  connectly: {
    text: ALL,
    document: ALL,
    attachment: ALL,
    template: WHATSAPP,
    location: WHATSAPP,
    list: WHATSAPP,
    reply_buttons: WHATSAPP,
    product: WHATSAPP,
    multi_product: WHATSAPP,
  },
};

/**
 * True when `provider` can send content of `kind` — on some channel kind, or on `channelKind` when
 * given. Pure; unknown kinds are false.
 */
export function supportsContent(provider: ProviderName, kind: string, channelKind?: ChannelKind): boolean {
  if (!(CONTENT_KINDS as readonly string[]).includes(kind)) return false;
  const on = CONTENT_SUPPORT[provider][kind as ContentKind];
  return channelKind === undefined ? on.length > 0 : on.includes(channelKind);
}

/** The content kinds `provider` can send on `channelKind` (for error messages and API docs). */
export function supportedContentKinds(provider: ProviderName, channelKind?: ChannelKind): ContentKind[] {
  return CONTENT_KINDS.filter((kind) => supportsContent(provider, kind, channelKind));
}

/**
 * Throws a permanent ProviderError CONTENT_NOT_SUPPORTED, before anything is sent, when the
 * provider cannot carry `kind` on `channelKind`.
 */
export function assertContentSupported(provider: ProviderName, kind: ContentKind, channelKind?: ChannelKind): void {
  if (supportsContent(provider, kind, channelKind)) return;
  const where = channelKind !== undefined && supportsContent(provider, kind) ? ` on ${channelKind} channels` : '';
  throw new ProviderError({
    provider,
    errorClass: 'permanent',
    providerCode: 'CONTENT_NOT_SUPPORTED',
    providerMessage: `${provider} cannot send ${kind} messages${where}; it sends ${supportedContentKinds(provider, channelKind).join(', ')}`,
    field: 'content',
  });
}
