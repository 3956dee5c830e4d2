/**
 * The list of every route the app registered, as Fastify saw them. Fastify has no public way to
 * enumerate routes after the fact, so this records them as they are added (an `onRoute` hook on
 * the root instance sees routes of every plugin). The OpenAPI test walks it to prove that every
 * route is described in /docs/json; nothing else needs it.
 */
import type { FastifyInstance } from 'fastify';

export interface RouteRecord {
  method: string;
  url: string;
  /** Left out of the OpenAPI description on purpose (`schema.hide`): /docs itself, the job board. */
  hidden: boolean;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route registered so far, one entry per method (HEAD routes Fastify adds included). */
    routeInventory: readonly RouteRecord[];
  }
}

/** Call on the root instance before any route is registered. */
export function registerRouteInventory(app: FastifyInstance): void {
  const routes: RouteRecord[] = [];
  app.decorate('routeInventory', routes);
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const schema = route.schema as { hide?: boolean } | undefined;
    for (const method of methods) {
      routes.push({ method, url: route.url, hidden: schema?.hide === true });
    }
  });
}
