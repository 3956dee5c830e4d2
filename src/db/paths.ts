import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, found from this file whether it runs from src/ (tests) or dist/src/. */
function repoRoot(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const parts = here.split('/');
  const srcAt = parts.lastIndexOf('src');
  const base = parts.slice(0, srcAt).join('/');
  return base.endsWith('/dist') ? dirname(base) : base;
}

export const REPO_ROOT = repoRoot();
export const MIGRATIONS_DIR = join(REPO_ROOT, 'prisma', 'migrations');
