/** What the numbers were measured on: written into every result file. */
import os from 'node:os';
import type pg from 'pg';
import type { Redis } from 'ioredis';

export interface MachineInfo {
  cpuModel: string;
  cores: number;
  memoryMb: number;
  node: string;
  postgres: string;
  redis: string;
  platform: string;
}

export async function machineInfo(db: pg.ClientBase, redis: Redis): Promise<MachineInfo> {
  const pgVersion = (await db.query<{ server_version: string }>('SHOW server_version')).rows[0]?.server_version ?? 'unknown';
  const info = await redis.info('server');
  return {
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    memoryMb: Math.round(os.totalmem() / 1024 / 1024),
    node: process.version,
    postgres: pgVersion,
    redis: /redis_version:(\S+)/.exec(info)?.[1] ?? 'unknown',
    platform: `${os.type()} ${os.release()}`,
  };
}

/** 1, 5 and 15 minute load averages. */
export function loadAverage(): [number, number, number] {
  const [a, b, c] = os.loadavg();
  return [round2(a!), round2(b!), round2(c!)];
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
