import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../generated/prisma/client.js';
import { parseDatabaseUrl, poolConfig } from './connection.js';

export type { PrismaClient };
export { Prisma } from '../generated/prisma/client.js';

/** A Prisma client over node-postgres (no native engine), honouring `?schema=` in the URL. */
export function createPrisma(databaseUrl: string, poolSize = 10): PrismaClient {
  const { schema } = parseDatabaseUrl(databaseUrl);
  const adapter = new PrismaPg(poolConfig(databaseUrl, poolSize), schema ? { schema } : undefined);
  return new PrismaClient({ adapter });
}
