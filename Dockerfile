# syntax=docker/dockerfile:1
# One image for the API (default command), the worker and the one-shot migration
# (docker-compose.yml overrides the command for those two).

# --- build: full dependencies, Prisma client generation, TypeScript compilation ------------------
FROM node:20-bookworm-slim AS build
WORKDIR /app
# prepare (run by npm ci) builds the project, so the sources must be present before installing.
# `npm run generate` points PRISMA_SCHEMA_ENGINE_BINARY at /bin/true: generating the client does
# not run the schema engine, so no native engine download is needed here either.
COPY . .
# npm ci refuses a lock file written against a registry mirror that lacks other platforms'
# optional packages; npm install then installs the same locked versions (see .ci/run).
RUN npm ci --no-audit --no-fund \
  || { echo 'npm ci refused the lock file; installing the locked versions with npm install' >&2; \
       npm install --no-audit --no-fund; }
# Only what production needs goes on to the runtime stage.
RUN npm prune --omit=dev --no-audit --no-fund

# --- runtime: production dependencies, compiled code, SQL migrations -----------------------------
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The migration runner reads the SQL from prisma/migrations (next to dist/, see src/db/paths.ts).
COPY --from=build /app/prisma/migrations ./prisma/migrations
USER node
EXPOSE 3000
# node directly (not npm) so SIGTERM from `docker stop` reaches the process and it shuts down
# gracefully.
CMD ["node", "dist/src/api/main.js"]
