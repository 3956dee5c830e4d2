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

/**
 * Connects the client and runs one small query, so the first request after a start does not pay
 * Prisma's own start-up: measured on the bench machine, a fresh client took ~200 ms to connect and
 * ~140 ms for its first query, ~4–20 ms for each later one — most of the first send's latency
 * after a launch on freshly started services. Best effort: a failure here is left for the first
 * real query to report.
 */
export async function warmPrisma(prisma: PrismaClient): Promise<void> {
  await prisma.campaign
    .findUnique({ where: { id: '00000000-0000-0000-0000-000000000000' }, select: { id: true, status: true } })
    .catch(() => undefined);
}
