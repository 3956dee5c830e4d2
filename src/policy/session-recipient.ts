/**
 * The ledger number of a one-off message sent in an existing Yeastar session without a `to`.
 *
 * Seed 000 sends into a session by `session_id` alone: the session already names the recipient.
 * Every ledger row needs a number (it keys the row, the pair rate limit and the window lookup), so
 * such a message is recorded under `session:<id>` — not a phone number, which says at a glance
 * that the recipient is known to the PBX only. Pure.
 */
const PREFIX = 'session:';

/** `session:<sessionId>`. */
export function sessionRecipient(sessionId: string): string {
  return `${PREFIX}${sessionId}`;
}

/** True for a number written by `sessionRecipient` (no window record can exist for it). */
export function isSessionRecipient(number: string): boolean {
  return number.startsWith(PREFIX);
}
