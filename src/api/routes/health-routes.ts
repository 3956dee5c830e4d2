/** GET /healthz: liveness, without authentication (for load balancers and orchestrators). */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';

export const HealthBody = Type.Object({ status: Type.Literal('ok') });

export const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/healthz',
    { config: { public: true }, schema: { response: { 200: HealthBody } } },
    async () => ({ status: 'ok' as const }),
  );
};
