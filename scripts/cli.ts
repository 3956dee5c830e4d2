/**
 * npm run cli -- <command>: the operator CLI's process wrapper (the CLI itself is src/cli/cli.ts).
 *
 *   campaigns create --channel <id> --csv <file> --name <n> (--text <content> | --template <file>) [--follow]
 *   campaigns follow <id> | list [--status <s>] | show <id> | pause <id> | resume <id> | cancel <id>
 *   queues
 *   keys create <name> [--scopes read,send,admin] | keys list | keys revoke <id>
 *
 * `campaigns` and `queues` talk to the API: --api-url (env CD_API_URL, default
 * http://127.0.0.1:3000) and --api-key (env CD_API_KEY). `keys` talks to Postgres (DATABASE_URL).
 * Exit codes: 0 ok / followed campaign completed, 1 failure, 2 usage, 3 API unreachable, 4 auth refused.
 */
import { loadConfig } from '../src/config/config.js';
import { runCli } from '../src/cli/cli.js';

const code = await runCli(process.argv.slice(2), {
  // Only the database URL is taken from the config (for `keys`); loading it opens nothing.
  databaseUrl: loadConfig().databaseUrl,
  env: { CD_API_URL: process.env.CD_API_URL, CD_API_KEY: process.env.CD_API_KEY },
  out: (line) => console.log(line),
  err: (line) => console.error(line),
  // The bar draws on stderr, so stdout stays parseable; only when a person is watching.
  tty: process.stderr.isTTY ? process.stderr : undefined,
});
process.exitCode = code;
