/**
 * The two pure steps between a claim and the provider call: which content a claimed recipient gets
 * (the window rule, policy/choose-content.ts, with what the send context and the claim know), and
 * the OutboundMessage that carries it — with the deterministic idempotency key, the Messenger tag
 * and, for a one-off message in an existing Yeastar session, the session id.
 */
import { chooseContent, type ContentChoice } from '../policy/choose-content.js';
import { idempotencyKey } from '../policy/idempotency-key.js';
import { isSessionRecipient } from '../policy/session-recipient.js';
import type { OutboundMessage } from '../providers/types.js';
import type { ClaimedRecipient } from './recipient-claim.js';
import type { SendContext } from './send-context.js';

export type SendChoice = Extract<ContentChoice, { action: 'send' }>;

/** What to send to `claim` now; `sessionRejected` when the provider already found the window closed. */
export function chooseFor(context: SendContext, claim: ClaimedRecipient, sessionRejected: boolean, now = new Date()): ContentChoice {
  return chooseContent({
    channelKind: context.channel.kind,
    campaign: { ...context.content, messageTag: context.messageTag },
    variables: claim.variables,
    lastInboundAt: claim.lastInboundAt,
    sessionRejected,
    // A message sent by session id alone has no number to look its window up by.
    inProviderSession: context.sessionId !== null && isSessionRecipient(claim.number),
    now,
  });
}

/** The provider request for one choice: the same key on every attempt of the same content. */
export function outboundMessage(context: SendContext, claim: ClaimedRecipient, choice: SendChoice): OutboundMessage {
  return {
    idempotencyKey: idempotencyKey(context.campaignId, claim.id) + choice.keySuffix,
    to: claim.number,
    content: choice.content,
    campaignName: context.campaignName,
    ...(choice.tag ? { tag: choice.tag } : {}),
    ...(context.sessionId !== null ? { sessionId: context.sessionId } : {}),
  };
}
