import { setTimeout as sleep } from 'node:timers/promises';
import { SingleBar } from 'cli-progress';
import type { AdminContext } from './context';
import { reachabilityOf, type AdminPartner } from './format';
import { CliError } from './io';

interface Snapshot {
  done: number;
  total: number;
  pending: number;
  failed: number;
  reach: string;
}

/** A bar on a terminal, a line per change otherwise (logs, CI, pipes). */
function reporter(ctx: AdminContext, label: string) {
  const stream = ctx.io.stderr;
  if (stream.isTTY) {
    const bar = new SingleBar({
      stream: stream as NodeJS.WriteStream,
      format: `${label} [{bar}] {value}/{total} done | {pending} pending | {failed} failed | {reach}`,
      hideCursor: true,
    });
    let started = false;
    return {
      update(s: Snapshot) {
        if (!started) bar.start(s.total, s.done, s);
        else bar.setTotal(s.total);
        bar.update(s.done, s);
        started = true;
      },
      stop: () => bar.stop(),
    };
  }
  let last = '';
  return {
    update(s: Snapshot) {
      const line = `${label}: ${s.done}/${s.total} done, ${s.pending} pending, ${s.failed} failed, ${s.reach}\n`;
      if (line !== last) stream.write(line);
      last = line;
    },
    stop: () => undefined,
  };
}

const partnerPath = (id: string) => `/admin/partners/${encodeURIComponent(id)}`;

/** The partner's failed deliveries so far: taken before queuing, so failures of what is queued show. */
export async function failedDeliveries(ctx: AdminContext, partnerId: string): Promise<number> {
  return (await ctx.api.get<AdminPartner>(partnerPath(partnerId))).deliveries?.failed ?? 0;
}

/**
 * Polls the partner until it has no pending deliveries left, showing how far it got. `queued` is what the
 * request queued (other changes pending for the partner count too). Gives up when nothing was done for
 * `stallTimeoutMs`; fails when more deliveries failed than `failedBefore`.
 */
export async function waitUntilDrained(ctx: AdminContext, partnerId: string, label: string, queued: number, failedBefore: number, stallTimeoutMs: number): Promise<void> {
  const path = partnerPath(partnerId);
  const report = reporter(ctx, label);
  let total = queued;
  let snapshot: Snapshot | undefined;
  let progressAt = Date.now();
  try {
    for (;;) {
      const partner = await ctx.api.get<AdminPartner>(path);
      const { pending = 0, failed = 0 } = partner.deliveries ?? {};
      total = Math.max(total, pending);
      const next = { done: total - pending, total, pending, failed, reach: reachabilityOf(partner) };
      if (!snapshot || next.done !== snapshot.done) progressAt = Date.now();
      snapshot = next;
      report.update(next);
      if (pending === 0) break;
      if (Date.now() - progressAt > stallTimeoutMs) {
        throw new CliError(`${label}: nothing done for ${stallTimeoutMs / 1000} s, ${pending} still pending (${next.reach}); the node keeps trying`);
      }
      await sleep(ctx.io.pollIntervalMs);
    }
  } finally {
    report.stop();
  }
  const newlyFailed = snapshot.failed - failedBefore;
  if (newlyFailed > 0) throw new CliError(`${label}: ${newlyFailed} deliveries failed (GET /admin/partners/${partnerId}/deliveries?status=failed)`);
}
