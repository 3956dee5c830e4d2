/** Every scenario, in the order the suite runs them (baseline first: the others compare with it). */
import { apiKillUpload } from './api-kill-upload.js';
import { baseline } from './baseline.js';
import { postgresRestart } from './postgres-restart.js';
import { provider429, provider503 } from './provider-status.js';
import { providerHang } from './provider-hang.js';
import { redisFlush } from './redis-flush.js';
import { redisRestart } from './redis-restart.js';
import type { Scenario } from './scenario.js';
import { workerKill } from './worker-kill.js';

export const SCENARIOS: readonly Scenario[] = [
  baseline,
  workerKill,
  redisFlush,
  redisRestart,
  postgresRestart,
  provider503,
  provider429,
  providerHang,
  apiKillUpload,
];
