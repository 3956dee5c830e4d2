/**
 * Postgres rejects a malformed uuid with an error, so ids from URLs and bodies are checked first:
 * an id that is not a UUID simply names nothing.
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}
