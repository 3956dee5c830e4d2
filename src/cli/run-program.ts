/**
 * Running a commander program to an exit code: the one place where errors become exit codes
 * (see exit-codes.ts) and one readable line on stderr — never a stack trace.
 */
import { Command, CommanderError } from 'commander';
import { explainUnreachable } from '../db/unreachable.js';
import { CliError, EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from './exit-codes.js';

export interface ProgramIo {
  out: (line: string) => void;
  err: (line: string) => void;
  /** For advice when Postgres cannot be reached (the `keys` commands talk to it directly). */
  databaseUrl?: string;
}

/** Makes `program` and its subcommands throw instead of exiting, and print through `io`. */
export function configureProgram(program: Command, io: ProgramIo): Command {
  const output = { writeOut: (s: string) => io.out(s.trimEnd()), writeErr: (s: string) => io.err(s.trimEnd()) };
  const configure = (command: Command): void => {
    command.exitOverride().configureOutput(output);
    command.commands.forEach(configure);
  };
  configure(program);
  return program;
}

/**
 * Parses `argv` (without node and the script) and runs the chosen action.
 * @param exitCode reads the code the action chose (actions report it through a setter).
 */
export async function runProgram(program: Command, argv: readonly string[], io: ProgramIo, exitCode: () => number): Promise<number> {
  try {
    if (argv.length === 0) {
      program.outputHelp({ error: true });
      return EXIT_USAGE;
    }
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode();
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end through here too, successfully.
      return err.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    }
    if (err instanceof CliError) {
      io.err(err.message);
      return err.exitCode;
    }
    const advice = io.databaseUrl === undefined ? undefined : explainUnreachable(err, { databaseUrl: io.databaseUrl });
    io.err(advice ?? `failed: ${(err as Error).message}`);
    return EXIT_FAILURE;
  }
}
