import { InvalidArgumentError, Option, type Command } from 'commander';
import { adminContext, output, partnerPath } from './context';
import { CliError, type CliIo } from './io';
import { failedDeliveries, waitUntilDrained } from './progress';
import type { ReconcileReport } from '../modules/locations/reconcile-report.schema';

interface WaitOptions {
  module: string;
  wait: boolean;
  timeout: number;
}

const waitOptions = (command: Command) =>
  command
    .option('--no-wait', 'return once queued, without waiting for the deliveries')
    .addOption(new Option('--timeout <seconds>', 'give up waiting when nothing was done for this long').default(300).argParser(seconds));

function seconds(value: string): number {
  if (!/^[0-9]+$/.test(value) || Number(value) < 1) throw new InvalidArgumentError('a whole number of seconds (at least 1)');
  return Number(value);
}

async function confirmPurge(io: CliIo, id: string, module: string, yes: boolean | undefined): Promise<void> {
  if (yes) return;
  if (!io.interactive) throw new CliError('--purge clears the partner\'s copy first: confirm with --yes (no terminal to ask on)', 2);
  const answer = await io.ask(`This deletes partner ${id}'s whole copy of our ${module}, then sends everything again. Type PURGE to go on: `);
  if (answer.trim() !== 'PURGE') throw new CliError('purge not confirmed: nothing was done', 2);
}

const COUNTS = ['missing', 'different', 'extra'] as const;

function sampleOf(report: ReconcileReport, kind: (typeof COUNTS)[number]): string {
  const ids = report.samples?.[kind] ?? [];
  if (ids.length === 0) return '';
  return ` (${ids.join(', ')}${report[kind] > ids.length ? ', ...' : ''})`;
}

/** `partners resync` and `partners reconcile`: queue deliveries, then follow them until the queue drains. */
export function addSyncCommands(partners: Command, io: CliIo): void {
  waitOptions(
    partners
      .command('resync <id>')
      .description('queue a full PUT of every object of a module to the partner, then show the progress')
      .option('--module <module>', 'locations, tariffs or sessions', 'locations'),
  ).action(async (id: string, options: WaitOptions, command: Command) => {
    const ctx = adminContext(command, io);
    const failedBefore = options.wait ? await failedDeliveries(ctx, id) : 0;
    const answer = await ctx.api.post<{ module: string; queued: number }>(`${partnerPath(id)}/resync`, { module: options.module });
    output(ctx, answer, (a) => `queued ${a.queued} ${a.module} for partner ${id}\n`);
    if (options.wait) await waitUntilDrained(ctx, id, `resync ${answer.module}`, answer.queued, failedBefore, options.timeout * 1000);
  });

  waitOptions(
    partners
      .command('reconcile <id>')
      .description("compare the partner's copy of our locations with ours and queue what differs")
      .option('--module <module>', 'the module to reconcile', 'locations')
      .option('--purge', "clear the partner's copy first, then send everything again")
      .option('--yes', 'confirm --purge without asking'),
  ).action(async (id: string, options: WaitOptions & { purge?: boolean; yes?: boolean }, command: Command) => {
    if (options.yes && !options.purge) throw new CliError('--yes only confirms --purge', 2);
    const ctx = adminContext(command, io);
    if (options.purge) await confirmPurge(io, id, options.module, options.yes);
    const failedBefore = options.wait ? await failedDeliveries(ctx, id) : 0;
    const body = { module: options.module, ...(options.purge ? { purge: true, confirm: 'PURGE' } : {}) };
    const answer = await ctx.api.post<ReconcileReport>(`${partnerPath(id)}/reconcile`, body);
    output(ctx, answer, (a) => `${COUNTS.map((kind) => `${kind} ${a[kind]}${sampleOf(a, kind)}`).join(', ')}: queued ${a.queued} for partner ${id}\n`);
    if (options.wait) await waitUntilDrained(ctx, id, `reconcile ${options.module}`, answer.queued, failedBefore, options.timeout * 1000);
  });
}
