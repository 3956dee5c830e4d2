/**
 * The JSON the dashboard refreshes from, at /admin/api: the GET routes of /v1 that the page
 * reads, answered by the /v1 routes themselves with the caller's own key.
 *
 * Why a bridge: a browser signed in with HTTP Basic sends those credentials to us by itself, but
 * the /v1 API takes only `Authorization: Bearer`, and the page's script cannot read the Basic
 * password to make a Bearer header of it. Accepting Basic on /v1 instead would expose every /v1
 * POST to cross-site requests (a browser sends Basic credentials with a forged form post too);
 * this bridge forwards GETs only, and only the four the pages use. The answer is the /v1 answer,
 * byte for byte — same schema, same scope check, same errors.
 *
 * Forwarding is `app.inject`: in-process, no socket, the request id carried over for the logs.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ADMIN_API_PREFIX, HIDDEN } from './admin-paths.js';

/** The query string of a request URL, with its `?`, or ''. */
function queryOf(url: string): string {
  const at = url.indexOf('?');
  return at < 0 ? '' : url.slice(at);
}

async function forward(app: FastifyInstance, request: FastifyRequest, reply: FastifyReply, path: string): Promise<FastifyReply> {
  const answer = await app.inject({
    method: 'GET',
    url: path + queryOf(request.url),
    headers: { authorization: `Bearer ${request.adminCredential ?? ''}`, accept: 'application/json', 'x-request-id': request.id },
  });
  const type = answer.headers['content-type'];
  if (typeof type === 'string') reply.type(type);
  return reply.code(answer.statusCode).send(answer.rawPayload);
}

/** Registers the bridge routes on the /admin scope (whose hooks have authenticated the caller). */
export function registerApiBridge(scope: FastifyInstance): void {
  const id = (request: FastifyRequest) => encodeURIComponent((request.params as { id: string }).id);

  scope.get(`${ADMIN_API_PREFIX}/messages`, HIDDEN, (request, reply) => forward(scope, request, reply, '/v1/messages'));
  scope.get(`${ADMIN_API_PREFIX}/campaigns`, HIDDEN, (request, reply) => forward(scope, request, reply, '/v1/campaigns'));
  scope.get(`${ADMIN_API_PREFIX}/campaigns/:id`, HIDDEN, (request, reply) => forward(scope, request, reply, `/v1/campaigns/${id(request)}`));
  scope.get(`${ADMIN_API_PREFIX}/campaigns/:id/timeline`, HIDDEN, (request, reply) =>
    forward(scope, request, reply, `/v1/campaigns/${id(request)}/timeline`),
  );
}
