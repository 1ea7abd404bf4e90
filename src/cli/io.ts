import { createInterface } from 'node:readline/promises';

/** A stream the CLI writes to; `isTTY` decides between a progress bar and plain lines. */
export type CliStream = NodeJS.WritableStream & { isTTY?: boolean };

/** Everything the CLI touches outside itself, so tests can run it in-process. */
export interface CliIo {
  stdout: CliStream;
  stderr: CliStream;
  /** The variables to read instead of the process's own (config.ts reads those by default). */
  env?: NodeJS.ProcessEnv;
  /** Whether someone can answer a question (a confirmation prompt). */
  interactive: boolean;
  ask(question: string): Promise<string>;
  /** How often progress polls the node. */
  pollIntervalMs: number;
}

export function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    interactive: process.stdin.isTTY === true,
    async ask(question) {
      const prompt = createInterface({ input: process.stdin, output: process.stderr });
      try {
        return await prompt.question(question);
      } finally {
        prompt.close();
      }
    },
    pollIntervalMs: 500,
  };
}

/** A failure the CLI reports in one line; `exitCode` 2 is a usage error, 1 anything else. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2 = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}
