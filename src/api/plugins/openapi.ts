/**
 * The OpenAPI 3.1 description, generated from the routes' own TypeBox schemas by @fastify/swagger,
 * served as JSON at /docs/json and browsable at /docs (@fastify/swagger-ui, its assets from the npm
 * package — nothing is fetched at run time). Both are public: the description holds no secrets and
 * a browser opening /docs has no bearer header to send.
 *
 * Register it before any route: @fastify/swagger learns routes from an `onRoute` hook, so a route
 * added earlier is missing from the document. Routes added later by any plugin are picked up
 * without further work; a route without a response schema is still listed, but the OpenAPI test
 * (test/integration/observability/openapi.test.ts) fails on it.
 *
 * Per operation, `transform` adds what the routes say in their `config` rather than their schema:
 * no security for public routes, the scope an API key needs, and a tag from the path when the
 * route names none.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance, FastifySchema } from 'fastify';
import { REPO_ROOT } from '../../db/paths.js';

export const DOCS_PREFIX = '/docs';

const TAGS = [
  { name: 'campaigns', description: 'Create, launch and follow campaigns; read their ledger.' },
  { name: 'messages', description: 'One-off messages to one recipient: replies, confirmations, a template to open a session.' },
  { name: 'channels', description: 'The senders campaigns go out through.' },
  { name: 'phonebooks', description: 'Contact lists campaigns can send to.' },
  { name: 'health', description: 'Liveness and readiness probes; no API key.' },
  { name: 'observability', description: 'Prometheus metrics.' },
];

function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version?: string }).version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/** `/v1/campaigns/:id/launch` → `campaigns`; `/readyz` → undefined. */
function tagFromPath(url: string): string | undefined {
  return /^\/v\d+\/([a-z0-9-]+)/.exec(url)?.[1];
}

type DocSchema = FastifySchema & { tags?: string[]; description?: string; security?: unknown[] };

/** Registers the OpenAPI generator and the /docs UI on the root instance. */
export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'campaign-dispatch',
        version: packageVersion(),
        description:
          'Queue-backed dispatch of bulk SMS, WhatsApp and Messenger campaigns. Errors answer `{ error: { code, message, field? } }` with a stable `code`.',
      },
      servers: [{ url: '/' }],
      components: {
        securitySchemes: {
          apiKey: { type: 'http', scheme: 'bearer', description: 'An API key (`npm run cli -- keys create`), sent as `Authorization: Bearer <key>`.' },
        },
      },
      security: [{ apiKey: [] }],
      tags: TAGS,
    },
    transform: ({ schema, url, route }) => {
      // A copy: the route's own schema object is the one Fastify validates with.
      const doc: DocSchema = { ...(schema as DocSchema | undefined) };
      const config = route.config as { public?: boolean; scope?: string } | undefined;
      if (config?.public) doc.security = [];
      if (config?.scope) {
        const needs = `Needs an API key with the \`${config.scope}\` scope.`;
        doc.description = doc.description ? `${doc.description}\n\n${needs}` : needs;
      }
      if (!doc.tags) {
        const tag = tagFromPath(url);
        if (tag) doc.tags = [tag];
      }
      return { schema: doc, url };
    },
  });

  // Its own scope, so marking its routes public touches nothing else.
  await app.register(async (scope) => {
    scope.addHook('onRoute', (route) => {
      route.config = { ...route.config, public: true };
    });
    await scope.register(swaggerUi, { routePrefix: DOCS_PREFIX });
  });
}
