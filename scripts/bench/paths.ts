/**
 * Where things are, found from this file: the built tree (dist/, whose scripts the bench spawns)
 * and the repository root (migrations, bench-results/). Works from any outDir named `dist`.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** …/dist (this file is …/dist/scripts/bench/paths.js). */
export const DIST_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const REPO_ROOT = dirname(DIST_ROOT);

export const API_SCRIPT = join(DIST_ROOT, 'src/api/main.js');
export const WORKER_SCRIPT = join(DIST_ROOT, 'workers/main.js');
export const SIM_SCRIPT = join(DIST_ROOT, 'scripts/bench/sim/sim-process.js');
export const QUERY_COUNTER = join(DIST_ROOT, 'scripts/bench/profile/query-counter.js');
