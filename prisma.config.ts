// Prisma 7 configuration: used by `prisma generate` (npm run generate) and, on machines that can
// download Prisma's native engine, by Prisma's own `migrate status` / `migrate deploy`.
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/campaign_dispatch' },
});
