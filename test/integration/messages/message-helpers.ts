/** Shared by the one-off message tests: POST /v1/messages and a wait on GET /v1/messages/:id. */
import type { LightMyRequestResponse } from 'fastify';
import type { E2e } from '../providers-e2e/e2e-harness.js';
import { waitFor } from '../dispatch/fixtures.js';

export interface MessageAnswer {
  id: string;
  status: string;
  to: string | null;
  session_id: string | null;
  provider_message_id: string | null;
  sent_content: string | null;
  reason: string | null;
  attempts: number;
  receipts: { status: string; at: string }[];
  last_error_code: string | null;
}

export function postMessage(e2e: E2e, body: Record<string, unknown>): Promise<LightMyRequestResponse> {
  return e2e.request({ method: 'POST', url: '/v1/messages', payload: body });
}

/** The message once its status is no longer pending, sending or retrying. */
export async function settledMessage(e2e: E2e, id: string): Promise<MessageAnswer> {
  let last: MessageAnswer | undefined;
  await waitFor(`message ${id} to settle`, async () => {
    const res = await e2e.request({ method: 'GET', url: `/v1/messages/${id}` });
    last = res.json<MessageAnswer>();
    return !['pending', 'sending', 'retrying'].includes(last.status);
  });
  return last!;
}

/** POSTs (202 expected) and waits for the outcome. */
export async function sendMessage(e2e: E2e, body: Record<string, unknown>): Promise<MessageAnswer> {
  const res = await postMessage(e2e, body);
  if (res.statusCode !== 202) throw new Error(`message not accepted: ${res.statusCode} ${res.body}`);
  return settledMessage(e2e, res.json<{ id: string }>().id);
}
