import { Redis, type RedisOptions } from 'ioredis';

/**
 * An ioredis connection for BullMQ. Workers need `maxRetriesPerRequest: null` (blocking commands);
 * producers may fail fast instead.
 */
export function createRedis(redisUrl: string, options: { forWorker?: boolean; lazy?: boolean } = {}): Redis {
  const opts: RedisOptions = {
    maxRetriesPerRequest: options.forWorker ? null : 3,
    enableReadyCheck: true,
    lazyConnect: options.lazy ?? false,
  };
  return new Redis(redisUrl, opts);
}
