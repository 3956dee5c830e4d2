/**
 * npm run cli -- keys create <name> [--scopes read,send,admin] | keys list | keys revoke <id>
 * Exit codes: 0 ok, 1 failure, 2 usage.
 */
import { loadConfig } from '../src/config/config.js';
import { runCli } from '../src/auth/keys-command.js';

const config = loadConfig();
const code = await runCli(process.argv.slice(2), {
  databaseUrl: config.databaseUrl,
  out: (line) => console.log(line),
  err: (line) => console.error(line),
});
process.exitCode = code;
