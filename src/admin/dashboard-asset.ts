/**
 * The browser script's JavaScript. browser/dashboard.ts is compiled by the project's ordinary
 * `tsc` build (no bundler: it imports nothing), so the file to serve sits next to this module's
 * compiled form — dist/src/admin/browser/dashboard.js. Tests run this module from src/ under
 * ts-jest, where no .js exists beside it; they read the same file from dist/, which `npm test`
 * builds first.
 *
 * Read once, then kept: the file does not change while the process runs.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { REPO_ROOT } from '../db/paths.js';

const BESIDE = fileURLToPath(new URL('./browser/dashboard.js', import.meta.url));
const IN_DIST = join(REPO_ROOT, 'dist', 'src', 'admin', 'browser', 'dashboard.js');

let cached: string | undefined;

/**
 * The script's source, without its source-map comment (the map is not served).
 * @throws Error naming the missing build when neither location has the compiled file.
 */
export function dashboardScript(): string {
  if (cached !== undefined) return cached;
  const path = [BESIDE, IN_DIST].find((p) => existsSync(p));
  if (path === undefined) throw new Error(`the dashboard script is not built (looked for ${BESIDE} and ${IN_DIST}); run npm run build`);
  cached = readFileSync(path, 'utf8').replace(/\n\/\/# sourceMappingURL=.*\s*$/, '\n');
  return cached;
}
