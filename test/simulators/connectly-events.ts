/**
 * The webhooks the simulated Connectly posts (notes/providers.md): `delivery_status` receipts after
 * an accepted send and `messages` for a simulated customer message. The timestamp is ISO 8601
 * (UNVERIFIED: Connectly's format is not shown; our parser takes epoch numbers too).
 */

export type ConnectlyReceiptLevel = 'none' | 'sent' | 'delivered' | 'read';

export interface ConnectlyReceiptFailure {
  code: string;
  message?: string;
}

interface Party {
  id: string;
  channelType: string;
}

const LEVELS: readonly Exclude<ConnectlyReceiptLevel, 'none'>[] = ['sent', 'delivered', 'read'];

/**
 * The receipts of one accepted message, in order: sent, then delivered and read up to `level`; with
 * `failure`, sent then delivery_failed.
 */
export function connectlyReceipts(
  message: { id: string; sender: Party; recipient: Party; now: number },
  level: ConnectlyReceiptLevel,
  failure?: ConnectlyReceiptFailure,
): Record<string, unknown>[] {
  if (level === 'none') return [];
  const statuses: string[] = failure ? ['sent', 'delivery_failed'] : LEVELS.slice(0, LEVELS.indexOf(level) + 1);
  return statuses.map((status, i) => ({
    topic: 'delivery_status',
    timestamp: new Date(message.now + i).toISOString(),
    sender: message.sender,
    recipient: message.recipient,
    statusUpdate: {
      id: message.id,
      status,
      ...(status === 'delivery_failed' && failure ? { error: { code: failure.code, message: failure.message ?? '' } } : {}),
    },
    metadata: {},
  }));
}

/** A customer's message to the business. */
export function connectlyInbound(from: string, business: Party, text: string, at: Date): Record<string, unknown> {
  return {
    topic: 'messages',
    timestamp: at.toISOString(),
    sender: { id: from, channelType: business.channelType },
    recipient: business,
    message: { text },
  };
}
