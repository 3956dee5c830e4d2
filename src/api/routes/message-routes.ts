/**
 * One-off messages: POST /v1/messages (send scope) answers 202 — accepted, sent in the background
 * through the priority lane — and GET /v1/messages[/:id] (read scope) read them back. The routes
 * only translate HTTP; the rules live in src/messages.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { createMessage, type CreateMessageDeps } from '../../messages/create-message.js';
import { getMessage, listMessages } from '../../messages/message-queries.js';
import { AUTHENTICATED_ERRORS, ErrorBody, IdParams } from '../schemas/common-schemas.js';
import { AcceptedMessageBody, CreateMessageBody, MessageBody, MessageListQuery, MessagePageBody } from '../schemas/message-schemas.js';

export const DEFAULT_MESSAGE_PAGE = 50;

export function messageRoutes(deps: CreateMessageDeps): FastifyPluginAsyncTypebox {
  const log = deps.log.child({ module: 'message-routes' });
  return async (app) => {
    app.post(
      '/v1/messages',
      {
        config: { scope: 'send' },
        schema: {
          description:
            'Sends one message to one recipient, through the same queue, claim, rate limits, 24-hour window rule and ledger as campaign sends, in a lane of its own that campaigns do not delay. ' +
            'Answers 202 at once; GET /v1/messages/:id shows the outcome. The same request_id again answers the original message (replayed: true) and sends nothing.',
          body: CreateMessageBody,
          response: { 202: AcceptedMessageBody, ...AUTHENTICATED_ERRORS, 503: ErrorBody },
        },
      },
      async (request, reply) => {
        const accepted = await createMessage({ ...deps, log: log.child({ reqId: request.id }) }, request.body);
        return reply.code(202).send(accepted);
      },
    );

    app.get(
      '/v1/messages',
      {
        config: { scope: 'read' },
        schema: { description: 'One-off messages, newest first.', querystring: MessageListQuery, response: { 200: MessagePageBody, ...AUTHENTICATED_ERRORS } },
      },
      async (request) =>
        listMessages(deps.prisma, { cursor: request.query.cursor, limit: request.query.limit ?? DEFAULT_MESSAGE_PAGE, channelId: request.query.channel_id }),
    );

    app.get(
      '/v1/messages/:id',
      {
        config: { scope: 'read' },
        schema: {
          description: 'One message: its status, the provider message id, which content went out and why (session or fallback template), and its receipts.',
          params: IdParams,
          response: { 200: MessageBody, 404: ErrorBody, ...AUTHENTICATED_ERRORS },
        },
      },
      async (request) => getMessage(deps.prisma, request.params.id),
    );
  };
}
