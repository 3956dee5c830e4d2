// Prints the SQL that takes a database from one schema.prisma to another, using Prisma 6's WASM
// schema engine (Prisma 7's CLI needs a native engine that cannot be downloaded here).
//   node tools/prisma-sql/sql-from-schema.mjs <from.prisma | empty> <to.prisma>
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** Rewrites a Prisma 7 schema into one Prisma 6 accepts: no generator, a datasource url. */
export function toPrisma6Schema(text) {
  const withoutGenerator = text.replace(/generator\s+\w+\s*\{[^}]*\}/g, '');
  return withoutGenerator.replace(
    /datasource\s+(\w+)\s*\{([^}]*)\}/,
    (_m, name, body) => `datasource ${name} {${body.replace(/\s*url\s*=.*\n/, '\n')}  url = "postgresql://unused"\n}`,
  );
}

export function sqlFromSchema(from, to) {
  const work = mkdtempSync(join(tmpdir(), 'prisma-sql-'));
  try {
    const toFile = join(work, 'to.prisma');
    writeFileSync(toFile, toPrisma6Schema(readFileSync(resolve(to), 'utf8')));
    const fromArgs = from === 'empty' ? ['--from-empty'] : (() => {
      const fromFile = join(work, 'from.prisma');
      writeFileSync(fromFile, toPrisma6Schema(readFileSync(resolve(from), 'utf8')));
      return ['--from-schema-datamodel', fromFile];
    })();
    const out = execFileSync(
      join(here, 'node_modules', '.bin', 'prisma'),
      ['migrate', 'diff', ...fromArgs, '--to-schema-datamodel', toFile, '--script'],
      {
        cwd: here,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
        env: {
          ...process.env,
          PRISMA_SQL_SCHEMA: toFile,
          // Never run: they only stop the CLI from trying to download engines it will not use.
          PRISMA_SCHEMA_ENGINE_BINARY: '/bin/true',
          PRISMA_QUERY_ENGINE_LIBRARY: join(here, 'prisma.config.ts'),
          PRISMA_HIDE_UPDATE_MESSAGE: '1',
        },
      },
    );
    return out.split('\n').filter((l) => !l.startsWith('Loaded Prisma config')).join('\n').trim() + '\n';
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [from, to] = process.argv.slice(2);
  if (!from || !to) {
    console.error('usage: sql-from-schema.mjs <from.prisma | empty> <to.prisma>');
    process.exit(2);
  }
  process.stdout.write(sqlFromSchema(from, to));
}
