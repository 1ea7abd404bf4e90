import { Command, CommanderError } from 'commander';
import { CliError, type CliIo } from './io';
import { addMigrateCommand } from './migrate-command';
import { addPartnersCommands } from './partners-commands';

/** Commander's own exits that are not usage errors. */
const CLEAN_EXITS = new Set(['commander.helpDisplayed', 'commander.version']);

function program(io: CliIo): Command {
  const cli = new Command('ocpi-cpo-node')
    .description("the operator's routine tasks on an OCPI CPO node")
    .option('--url <url>', 'the node (default: OCPI_NODE_URL, else http://localhost:PORT)')
    .option('--token <token>', 'the admin token (default: ADMIN_TOKEN; prefer the variable: arguments show in ps)')
    .option('--json', "print the answer's raw data as JSON, for scripts")
    .exitOverride()
    .configureOutput({ writeOut: (text) => io.stdout.write(text), writeErr: (text) => io.stderr.write(text) })
    .showHelpAfterError('(add --help for usage)');
  addPartnersCommands(cli, io);
  addMigrateCommand(cli, io);
  return cli;
}

/**
 * Runs one command line (`argv` without node and the script) and resolves with its exit code:
 * 0 done, 1 the node or the database refused or failed, 2 a usage error.
 */
export async function run(argv: string[], io: CliIo): Promise<number> {
  try {
    await program(io).parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    // Commander has printed its own message already.
    if (error instanceof CommanderError) return CLEAN_EXITS.has(error.code) ? 0 : 2;
    if (error instanceof CliError) {
      io.stderr.write(`error: ${error.message}\n`);
      return error.exitCode;
    }
    io.stderr.write(`error: ${(error as Error).message}\n`);
    return 1;
  }
}
