import { Writable } from 'node:stream';
import type { CliIo } from '../../src/cli/io';
import { run } from '../../src/cli/run';
import type { TestApp } from '../helpers/test-app';

/** Shared plumbing of the CLI tests (not a test file itself). */

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

function capture(chunks: string[]): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString('utf8'));
      done();
    },
  });
}

export interface CliRunOptions {
  env?: NodeJS.ProcessEnv;
  /** Someone at a terminal answers each question with these, in order. */
  answers?: string[];
}

/** Runs the CLI in-process, as `ocpi-cpo-node <args>` would, without a terminal (plain progress lines). */
export async function runCli(args: string[], options: CliRunOptions = {}): Promise<CliResult & { questions: string[] }> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const questions: string[] = [];
  const answers = [...(options.answers ?? [])];
  const io: CliIo = {
    stdout: capture(stdout),
    stderr: capture(stderr),
    env: options.env ?? {},
    interactive: options.answers !== undefined,
    ask: async (question) => {
      questions.push(question);
      return answers.shift() ?? '';
    },
    pollIntervalMs: 20,
  };
  const code = await run(args, io);
  return { code, stdout: stdout.join(''), stderr: stderr.join(''), questions };
}

/** The CLI pointed at `node` through the environment, as an operator's shell would. */
export function cliFor(node: TestApp, env: NodeJS.ProcessEnv = {}) {
  return (args: string[], options: CliRunOptions = {}) =>
    runCli(args, { ...options, env: { OCPI_NODE_URL: node.baseUrl, ADMIN_TOKEN: node.adminToken, ...env, ...options.env } });
}

/** The rows of a table the CLI printed, split into cells. */
export function tableRows(text: string): string[][] {
  return text.trim().split('\n').map((line) => line.trim().split(/\s{2,}/));
}
