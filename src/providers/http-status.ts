/**
 * What an HTTP status alone says about a failed provider call, before the body is read.
 * Both providers share it; each provider's own table (yeastar/errors.ts, connectly/errors.ts)
 * decides everything the body can tell.
 */
import type { ProviderErrorClass } from './types.js';

/** Exact statuses with a fixed meaning. */
const STATUS_CLASS: Readonly<Record<number, ProviderErrorClass>> = {
  401: 'auth',
  403: 'auth',
  408: 'retryable',
  429: 'rate_limited',
};

/**
 * The class an HTTP status implies on its own, or undefined when only the body can tell
 * (2xx and most 4xx). Every 5xx is worth retrying: the provider failed, not the message.
 */
export function classifyHttpStatus(status: number): ProviderErrorClass | undefined {
  const exact = STATUS_CLASS[status];
  if (exact) return exact;
  if (status >= 500) return 'retryable';
  return undefined;
}
