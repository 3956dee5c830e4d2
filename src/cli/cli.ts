/**
 * The operator CLI (`npm run cli -- …`): `campaigns`, `send`, `messages` and `queues` talk to the HTTP API, `keys`
 * to Postgres. Kept apart from scripts/cli.ts (the process wrapper) so it can be run in-process;
 * the integration tests run the built script as a child process, for real exit codes.
 *
 * Exit codes: see exit-codes.ts.
 */
import { Command } from 'commander';
import { keysCommand } from '../auth/keys-command.js';
import { campaignsCommand, queuesCommand, type ApiCommandIo } from './campaign-commands.js';
import { EXIT_OK } from './exit-codes.js';
import { messagesCommand, sendCommand } from './message-commands.js';
import { configureProgram, runProgram } from './run-program.js';

export interface CliIo extends ApiCommandIo {
  /** Postgres, for `keys`. */
  databaseUrl: string;
}

/** Runs the CLI on `argv` (without node and the script path); resolves to the exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let exit = EXIT_OK;
  const setExit = (code: number) => {
    exit = code;
  };
  const program = new Command('cli')
    .description('campaign-dispatch operator CLI')
    .addCommand(campaignsCommand(io, setExit))
    .addCommand(sendCommand(io, setExit))
    .addCommand(messagesCommand(io, setExit))
    .addCommand(queuesCommand(io, setExit))
    .addCommand(keysCommand(io, setExit))
    .addHelpText('after', '\nExit codes: 0 done (a followed campaign completed), 1 failed, 2 usage error, 3 API unreachable, 4 credentials refused.');
  configureProgram(program, io);
  return runProgram(program, argv, io, () => exit);
}
