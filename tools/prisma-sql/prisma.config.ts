// Prisma 6 with engine "js" uses its WASM schema engine, so `migrate diff` between two schema
// files works with no download. The adapter is required by that mode but never connects here.
import { defineConfig } from 'prisma/config';
import { PrismaPg } from '@prisma/adapter-pg';

export default defineConfig({
  engine: 'js',
  experimental: { adapter: true },
  schema: process.env.PRISMA_SQL_SCHEMA ?? 'schema.prisma',
  async adapter() {
    return new PrismaPg({ host: '127.0.0.1', port: 5432, user: 'postgres', database: 'postgres' });
  },
});
