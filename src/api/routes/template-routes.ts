/**
 * GET /v1/channels/:id/templates?search=&page=&page_size= (read scope): the channel's approved
 * WhatsApp templates, as its provider lists them (Yeastar message_channel/whatsapp_template), with
 * `components` parsed and the variables a campaign from `template_name` will need per recipient.
 * A channel whose provider has no template directory (Connectly) answers 400 CAPABILITY_NOT_SUPPORTED;
 * a provider that cannot be reached, 503 DEPENDENCY_UNAVAILABLE.
 */
import type { Keyring } from '../../security/keyring.js';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { PrismaClient } from '../../db/prisma.js';
import { callProvider, templateDirectoryOf, type CapabilitySource } from '../../channels/channel-capabilities.js';
import { requireChannelSpec } from '../../channels/channel-spec.js';
import { buildTemplateMessage } from '../../templates/template-message.js';
import { AUTHENTICATED_ERRORS, ErrorBody, IdParams, Nullable } from '../schemas/common-schemas.js';

export interface TemplateRoutesDeps {
  prisma: PrismaClient;
  /** Decrypts the channel's stored credentials. */
  keyring: Keyring;
  providers: CapabilitySource;
}

export const TemplatesQuery = Type.Object({
  search: Type.Optional(Type.String({ maxLength: 512, description: 'Part of a template name.' })),
  page: Type.Optional(Type.Integer({ minimum: 1, default: 1 })),
  page_size: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
});

export const TemplateBody = Type.Object({
  id: Type.Integer({ description: "The template's id at the provider (msg_param.id)." }),
  template_id: Type.String({ description: "Meta's template id." }),
  name: Type.String(),
  language: Type.String(),
  parameter_format: Type.Enum(['NAMED', 'POSITIONAL']),
  category: Type.Optional(Type.String()),
  components: Type.Array(Type.Record(Type.String(), Type.Unknown())),
  variables: Nullable(
    Type.Array(Type.String(), {
      description: 'The variables each recipient must carry for a campaign created with this template_name; null when one cannot be built from the name.',
    }),
  ),
});

export const TemplatePageBody = Type.Object({
  items: Type.Array(TemplateBody),
  total: Type.Integer({ description: 'Templates matching the search, on all pages.' }),
  page: Type.Integer(),
  page_size: Type.Integer(),
});

export function templateRoutes(deps: TemplateRoutesDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/v1/channels/:id/templates',
      {
        config: { scope: 'read' },
        schema: {
          description: "The channel's approved WhatsApp templates (Yeastar channels).",
          params: IdParams,
          querystring: TemplatesQuery,
          response: { 200: TemplatePageBody, 404: ErrorBody, 502: ErrorBody, 503: ErrorBody, ...AUTHENTICATED_ERRORS },
        },
      },
      async (request) => {
        const channel = await requireChannelSpec(deps.prisma, request.params.id, deps.keyring);
        const directory = templateDirectoryOf(deps.providers, channel);
        const page = request.query.page ?? 1;
        const pageSize = request.query.page_size ?? 20;
        const result = await callProvider('listing templates', () =>
          directory.searchTemplates({ search: request.query.search, page, pageSize }),
        );
        const items = result.templates.map((t) => {
          // A media header needs a file to build a message, but not to know the variables.
          const built = buildTemplateMessage(t, { headerFile: { uri: 'placeholder' } });
          return { ...t, variables: built.ok ? built.variables : null };
        });
        return { items, total: result.total, page, page_size: pageSize };
      },
    );
  };
}
