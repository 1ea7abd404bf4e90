/**
 * Diagnosis while a load runs: samples pg_stat_activity of the bench database every `everyMs` and tallies what its
 * backends (the server's pool) were doing: running a statement, idle inside a transaction (the server holds the
 * connection between statements), idle, and what the running ones waited on (a row lock shows as Lock/transactionid
 * or Lock/tuple). No statistics are touched.
 */
import { Client } from 'pg';

export interface BackendSample {
  samples: number;
  /** Mean backends per sample, by state ("active", "idle in transaction", "idle"). */
  meanByState: Record<string, number>;
  /** Mean backends per sample waiting, by `wait_event_type/wait_event` (active backends only). */
  meanWaiting: Record<string, number>;
}

export async function sampleBackends(db: string, everyMs = 100): Promise<{ stop(): Promise<BackendSample> }> {
  const client = new Client({ connectionString: db });
  await client.connect();
  const name = decodeURIComponent(new URL(db).pathname.slice(1));
  const byState: Record<string, number> = {};
  const waiting: Record<string, number> = {};
  let samples = 0;
  let running = true;
  const done = (async () => {
    while (running) {
      const { rows } = await client.query<{ state: string | null; wait: string | null }>(
        `SELECT state, CASE WHEN state = 'active' AND wait_event IS NOT NULL THEN wait_event_type || '/' || wait_event END AS wait
         FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid() AND backend_type = 'client backend'`,
        [name],
      );
      samples += 1;
      for (const row of rows) {
        const state = row.state ?? 'unknown';
        byState[state] = (byState[state] ?? 0) + 1;
        if (row.wait) waiting[row.wait] = (waiting[row.wait] ?? 0) + 1;
      }
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  })();
  const mean = (counts: Record<string, number>) => Object.fromEntries(Object.entries(counts).map(([key, count]) => [key, count / Math.max(1, samples)]));
  return {
    async stop() {
      running = false;
      await done;
      await client.end();
      return { samples, meanByState: mean(byState), meanWaiting: mean(waiting) };
    },
  };
}

/** "active 3.1, idle in transaction 2.0, idle 4.9" and the main waits, for a table cell. */
export function describeBackends(sample: BackendSample): string {
  const states = Object.entries(sample.meanByState).sort((a, b) => b[1] - a[1]).map(([state, mean]) => `${state} ${mean.toFixed(1)}`).join(', ');
  const waits = Object.entries(sample.meanWaiting).sort((a, b) => b[1] - a[1]).slice(0, 3).map(([wait, mean]) => `${wait} ${mean.toFixed(2)}`).join(', ');
  return `${states || 'none'}; waiting: ${waits || 'none'}`;
}
