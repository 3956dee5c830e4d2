/**
 * Which content a recipient gets, given the channel's conversation-window rules. Pure: the time and
 * the recipient's last inbound message are arguments.
 *
 * Rules (notes/providers.md, "WhatsApp rules" and "Facebook Messenger")
 * - template campaigns always send their template (a template may go out at any time);
 * - WhatsApp, window open (an inbound message less than 24 h ago) → the campaign's session content;
 *   window closed → the campaign's template (`msg_param`, filled with the recipient's variables),
 *   recorded as `sent_content='template'`, `reason='window_closed'`; no template → skipped with
 *   `window_closed_no_template` (never a silent failure);
 * - Messenger (facebook), window open → session content; closed → session content with the
 *   campaign's `message_tag` (sent as `tag`); no tag → skipped with `window_closed_no_tag`;
 * - SMS has no window.
 * `sessionRejected` says the provider already refused the session content as outside the window
 * (our copy of the window was stale, or an earlier attempt fell back): the same rules then apply as
 * for a closed window, so a recipient that moved to the template stays on it for every retry — the
 * template send has its own idempotency key, and switching back and forth between the two could
 * deliver both.
 *
 * `inProviderSession`: a one-off message sent in an existing Yeastar session (`session_id`) may not
 * name its number, and our window record is kept per number — so we cannot know the window. It is
 * then treated as open: the provider, which does know, refuses a session message outside it, and
 * that refusal (`sessionRejected`) moves the message to the template or the tag as above.
 */
import type { MessageContent } from '../providers/types.js';
import { renderContent, type CampaignContent, type RecipientVariables } from './render-content.js';

export const WINDOW_MS = 24 * 60 * 60 * 1000;

/** Suffix of the idempotency key of a template sent in place of the session content. */
export const TEMPLATE_FALLBACK_KEY_SUFFIX = '-t';

export type ChannelKindName = 'sms' | 'whatsapp' | 'facebook';

export interface ChooseContentInput {
  channelKind: ChannelKindName;
  campaign: CampaignContent & { messageTag: string | null };
  variables: RecipientVariables;
  /** The recipient's last inbound message on this channel, if any. */
  lastInboundAt: Date | null;
  /** The provider (or an earlier attempt) already found the window closed. */
  sessionRejected: boolean;
  /** Sent in an existing provider session whose window we cannot see (module comment). */
  inProviderSession?: boolean;
  now: Date;
}

export type ContentChoice =
  | {
      action: 'send';
      content: MessageContent;
      sentContent: 'session' | 'template';
      /** Ledger reason to record with the send (why a template replaced the session content). */
      reason: 'window_closed' | null;
      /** Messenger message tag, when sending outside the window. */
      tag?: string;
      /** Appended to the recipient's idempotency key ('' for the campaign's own content). */
      keySuffix: string;
    }
  | { action: 'skip'; reason: 'window_closed_no_template' | 'window_closed_no_tag' }
  | { action: 'fail'; reason: 'content_invalid'; message: string };

/** True when a message from the recipient less than 24 hours ago keeps the window open at `now`. */
export function windowOpen(lastInboundAt: Date | null, now: Date): boolean {
  if (!lastInboundAt) return false;
  const age = now.getTime() - lastInboundAt.getTime();
  return age >= -60_000 && age < WINDOW_MS; // a minute of clock skew between webhook and worker
}

/** Decides what to send to one recipient (see module comment). */
export function chooseContent(input: ChooseContentInput): ContentChoice {
  const { campaign, variables } = input;
  if (campaign.contentType === 'template') return render(campaign, variables, 'template', null, '');
  const open = !input.sessionRejected && (input.inProviderSession === true || windowOpen(input.lastInboundAt, input.now));

  if (input.channelKind === 'whatsapp' && !open) {
    if (campaign.msgParam === null || campaign.msgParam === undefined) return { action: 'skip', reason: 'window_closed_no_template' };
    const asTemplate: CampaignContent = { contentType: 'template', content: null, msgParam: campaign.msgParam };
    return render(asTemplate, variables, 'template', 'window_closed', TEMPLATE_FALLBACK_KEY_SUFFIX);
  }
  if (input.channelKind === 'facebook' && !open) {
    if (!campaign.messageTag) return { action: 'skip', reason: 'window_closed_no_tag' };
    const choice = render(campaign, variables, 'session', null, '');
    return choice.action === 'send' ? { ...choice, tag: campaign.messageTag } : choice;
  }
  return render(campaign, variables, 'session', null, '');
}

function render(
  campaign: CampaignContent,
  variables: RecipientVariables,
  sentContent: 'session' | 'template',
  reason: 'window_closed' | null,
  keySuffix: string,
): ContentChoice {
  const rendered = renderContent(campaign, variables);
  if (!rendered.ok) return { action: 'fail', reason: 'content_invalid', message: rendered.reason };
  return { action: 'send', content: rendered.content, sentContent, reason, keySuffix };
}
