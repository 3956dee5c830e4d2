/**
 * Acts on one verified webhook event for one channel: inbound messages open windows and apply
 * opt-out / opt-in keywords; receipts move ledger rows; everything else is logged. Each action is
 * one or two statements, so the provider gets its 200 quickly.
 */
import type pg from 'pg';
import type { DispatchMetrics, ProviderLabel, WebhookStatusLabel } from '../observability/dispatch-metrics.js';
import type { Logger } from '../observability/logger.js';
import { classifyKeyword, optOutReason } from './opt-keywords.js';
import { addSuppression, recordConversationWindow, removeSuppression } from './record-inbound.js';
import { recordReceipt } from './record-receipt.js';
import type { InboundEvent, ReceiptEvent, WebhookEvent } from './webhook-events.js';

export interface WebhookProcessorDeps {
  pool: pg.Pool;
  log: Logger;
  /**
   * Where `webhook_receipts_total` is counted: the API's `createDispatchMetrics(registry)` on the
   * registry it serves at /metrics. Optional so the processor works without metrics (tests, tools).
   */
  metrics?: Pick<DispatchMetrics, 'webhookReceived'>;
}

export interface WebhookTarget {
  channelId: string;
  provider: string;
}

export type WebhookProcessor = (target: WebhookTarget, event: WebhookEvent) => Promise<void>;

export function createWebhookProcessor(deps: WebhookProcessorDeps): WebhookProcessor {
  const log = deps.log.child({ module: 'webhook-processor' });

  async function inbound(target: WebhookTarget, event: InboundEvent): Promise<void> {
    await recordConversationWindow(deps.pool, target.channelId, event.number, event.at);
    const intent = classifyKeyword(event.text);
    if (intent.intent === 'opt_out') {
      const added = await addSuppression(deps.pool, target.channelId, event.number, optOutReason(intent.keyword));
      log.info({ ...target, number: event.number, keyword: intent.keyword, added }, 'opt-out keyword: number suppressed on the channel');
    } else if (intent.intent === 'opt_in') {
      const removed = await removeSuppression(deps.pool, target.channelId, event.number);
      log.info({ ...target, number: event.number, keyword: intent.keyword, removed }, 'opt-in keyword: suppression lifted on the channel');
    } else {
      log.debug({ ...target, number: event.number }, 'inbound message: window opened');
    }
  }

  /** Counts one accepted event (providers other than ours cannot reach a route; ignore them). */
  function count(target: WebhookTarget, status: WebhookStatusLabel): void {
    if (target.provider === 'yeastar' || target.provider === 'connectly') {
      deps.metrics?.webhookReceived(target.provider satisfies ProviderLabel, status);
    }
  }

  async function receipt(target: WebhookTarget, event: ReceiptEvent): Promise<void> {
    const result = await recordReceipt(deps.pool, target.channelId, event);
    count(target, result.outcome === 'unknown' ? 'unmatched' : event.status);
    const fields = { ...target, providerMessageId: event.providerMessageId, receipt: event.status };
    switch (result.outcome) {
      case 'moved':
        log.debug({ ...fields, recipients: result.rows.length }, 'receipt recorded');
        if (event.failure?.optedOut) {
          for (const row of result.rows) {
            await addSuppression(deps.pool, target.channelId, row.number, `provider_opt_out:${event.failure.code}`);
          }
          log.info({ ...fields, code: event.failure.code }, 'failed receipt says the recipient opted out: suppressed on the channel');
        }
        return;
      case 'unknown':
        // Acknowledged anyway: a retry would not make the id known. UNVERIFIED how often a receipt
        // beats the dispatch's write of provider_message_id; if it shows in these logs, hold such
        // receipts and retry them instead of dropping them.
        log.warn(fields, 'receipt for a message id no ledger row of this channel carries; ignored');
        return;
      default:
        log.debug({ ...fields, outcome: result.outcome, status: result.status }, 'receipt changes nothing');
    }
  }

  return async (target, event) => {
    switch (event.type) {
      case 'inbound':
        await inbound(target, event);
        count(target, 'inbound');
        return;
      case 'receipt':
        return receipt(target, event);
      case 'ignored': {
        const level = event.reason === 'bulk_failure' ? 'warn' : 'info';
        log[level]({ ...target, reason: event.reason, ...event.details }, 'webhook event acknowledged without action');
        count(target, 'ignored');
      }
    }
  };
}
