export { registerWebhookRoutes, WEBHOOK_BODY_LIMIT_BYTES, type WebhookRouteDeps } from './webhook-routes.js';
export { signBody, verifySignature, SIGNATURE_HEADER } from './signature.js';
export { classifyKeyword, OPT_IN_KEYWORDS, OPT_OUT_KEYWORDS, type KeywordIntent } from './opt-keywords.js';
export { decideReceipt, statusesMovedBy, type ReceiptDecision, type ReceiptStatus } from './receipt-transition.js';
export { createChannelSecrets, type ChannelSecrets, type WebhookChannel } from './channel-secrets.js';
export type { WebhookEvent, InboundEvent, ReceiptEvent } from './webhook-events.js';
