/**
 * The `keys` command of the CLI: create, list and revoke API keys. Kept apart from scripts/cli.ts
 * so tests run it in-process against a test schema.
 *
 * Exit codes: 0 done, 1 failed (including Postgres unreachable, with advice), 2 usage error.
 */
import { Command, CommanderError } from 'commander';
import { createPool } from '../db/connection.js';
import { createPrisma, type PrismaClient } from '../db/prisma.js';
import { explainUnreachable } from '../db/unreachable.js';
import { createApiKey, isScope, listApiKeys, revokeApiKey, SCOPES, type Scope } from './api-keys.js';

export interface CliIo {
  databaseUrl: string;
  out: (line: string) => void;
  err: (line: string) => void;
}

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

class UsageError extends Error {}

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

function buildProgram(io: CliIo, setExit: (code: number) => void): Command {
  const program = new Command('cli')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) });
  const keys = program.command('keys').description('manage API keys').exitOverride();

  keys
    .command('create <name>')
    .description('create an API key; it is shown once, on the last line')
    .option('--scopes <list>', `comma-separated scopes (${SCOPES.join(',')})`, SCOPES.join(','))
    .exitOverride()
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
    .exitOverride()
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
    .exitOverride()
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
  return program;
}

/**
 * Runs the CLI on `argv` (without node and script path), e.g. `['keys', 'create', 'ci']`.
 * @returns the exit code.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let exit = EXIT_OK;
  const program = buildProgram(io, (code) => {
    exit = code;
  });
  try {
    if (argv.length === 0) {
      program.outputHelp();
      return EXIT_USAGE;
    }
    await program.parseAsync([...argv], { from: 'user' });
    return exit;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end through here too, successfully.
      return err.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    }
    if (err instanceof UsageError) {
      io.err(err.message);
      return EXIT_USAGE;
    }
    io.err(explainUnreachable(err, { databaseUrl: io.databaseUrl }) ?? `failed: ${(err as Error).message}`);
    return EXIT_FAILURE;
  }
}
