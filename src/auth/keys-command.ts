/**
 * The `keys` command of the CLI: create, list and revoke API keys. Kept apart from scripts/cli.ts
 * so tests run it in-process against a test schema.
 *
 * Exit codes: 0 done, 1 failed (including Postgres unreachable, with advice), 2 usage error
 * (src/cli/exit-codes.ts).
 */
import { Command } from 'commander';
import { createPool } from '../db/connection.js';
import { createPrisma, type PrismaClient } from '../db/prisma.js';
import { EXIT_FAILURE, EXIT_OK, UsageError } from '../cli/exit-codes.js';
import { configureProgram, runProgram } from '../cli/run-program.js';
import { createApiKey, isScope, listApiKeys, revokeApiKey, SCOPES, type Scope } from './api-keys.js';

export { EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from '../cli/exit-codes.js';

export interface CliIo {
  databaseUrl: string;
  out: (line: string) => void;
  err: (line: string) => void;
}

function parseScopes(value: string): Scope[] {
  const scopes = value.split(',').map((s) => s.trim()).filter((s) => s !== '');
  const unknown = scopes.filter((s) => !isScope(s));
  if (scopes.length === 0 || unknown.length > 0) {
    throw new UsageError(`--scopes takes a comma-separated list of ${SCOPES.join(', ')}${unknown.length ? `; unknown: ${unknown.join(', ')}` : ''}`);
  }
  return scopes as Scope[];
}

/** Opens Postgres (checked with a plain query first, for a readable error), runs `fn`, closes. */
async function withPrisma(databaseUrl: string, fn: (prisma: PrismaClient) => Promise<void>): Promise<void> {
  const pool = createPool(databaseUrl, 1);
  try {
    await pool.query('SELECT 1');
  } finally {
    await pool.end();
  }
  const prisma = createPrisma(databaseUrl, 1);
  try {
    await fn(prisma);
  } finally {
    await prisma.$disconnect();
  }
}

/** The `keys` command with its subcommands; the caller adds it to a program (see src/cli/cli.ts). */
export function keysCommand(io: CliIo, setExit: (code: number) => void): Command {
  const keys = new Command('keys').description('manage API keys (talks to Postgres: DATABASE_URL)');

  keys
    .command('create <name>')
    .description('create an API key; it is shown once, on the last line')
    .option('--scopes <list>', `comma-separated scopes (${SCOPES.join(',')})`, SCOPES.join(','))
    .action(async (name: string, options: { scopes: string }) => {
      const scopes = parseScopes(options.scopes);
      await withPrisma(io.databaseUrl, async (prisma) => {
        const created = await createApiKey(prisma, name, scopes);
        io.out(`created key ${created.id} (${created.prefix}…) with scopes ${scopes.join(',')}`);
        io.out('the key is shown only this once; store it now:');
        io.out(created.key);
      });
      setExit(EXIT_OK);
    });

  keys
    .command('list')
    .description('list API keys (never the keys themselves)')
    .action(async () => {
      await withPrisma(io.databaseUrl, async (prisma) => {
        const rows = await listApiKeys(prisma);
        if (rows.length === 0) io.out('no API keys');
        for (const k of rows) {
          const state = k.revokedAt ? `revoked ${k.revokedAt.toISOString()}` : 'active';
          const used = k.lastUsedAt ? `last used ${k.lastUsedAt.toISOString()}` : 'never used';
          io.out(`${k.id}  ${k.prefix}…  ${k.name}  [${k.scopes.join(',')}]  ${state}  ${used}`);
        }
      });
      setExit(EXIT_OK);
    });

  keys
    .command('revoke <id>')
    .description('revoke an API key by id (takes effect within the API key cache period, 5 s)')
    .action(async (id: string) => {
      await withPrisma(io.databaseUrl, async (prisma) => {
        if (!(await revokeApiKey(prisma, id))) {
          io.err(`no API key with id ${id}`);
          setExit(EXIT_FAILURE);
          return;
        }
        io.out(`revoked ${id}`);
        setExit(EXIT_OK);
      });
    });
  return keys;
}

/**
 * Runs just the `keys` command on `argv` (without node and script path), e.g.
 * `['keys', 'create', 'ci']` — in-process, for tests; the full CLI is src/cli/cli.ts.
 * @returns the exit code.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let exit = EXIT_OK;
  const program = new Command('cli').addCommand(
    keysCommand(io, (code) => {
      exit = code;
    }),
  );
  configureProgram(program, io);
  return runProgram(program, argv, io, () => exit);
}
