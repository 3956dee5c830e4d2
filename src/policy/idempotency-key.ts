/**
 * The idempotency key of one send: the same on every attempt of the same campaign × recipient, so a
 * retry after an unknown outcome (timeout, crash after the provider call) is recognisable by the
 * provider as the same message (Yeastar `request_id`, Connectly `callbackData`).
 */
export const IDEMPOTENCY_KEY_MAX_LENGTH = 127;

/**
 * `cd-<campaignId>-<recipientId>`: a UUID (36) and a bigint (≤ 19 digits) make at most 59
 * characters, well inside Yeastar's 127-character `request_id`. Longer inputs (never produced by our
 * schema) are refused rather than truncated, since a truncated key could collide.
 */
export function idempotencyKey(campaignId: string, recipientId: string | bigint): string {
  const key = `cd-${campaignId}-${recipientId}`;
  if (key.length > IDEMPOTENCY_KEY_MAX_LENGTH) {
    throw new RangeError(`idempotency key longer than ${IDEMPOTENCY_KEY_MAX_LENGTH} characters: ${key.slice(0, 40)}…`);
  }
  return key;
}
