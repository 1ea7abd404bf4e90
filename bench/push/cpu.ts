import { readFileSync } from 'node:fs';
import { Client } from 'pg';

/** CPU time (user + system) a process has used so far, ms; 0 when it is gone (Linux /proc, 100 ticks/s). */
export function cpuMsOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return 0;
  }
}

/** Busy and total jiffies of the whole machine so far. */
function machine(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
  const values = line.trim().split(/\s+/).slice(1).map(Number);
  const total = values.reduce((a, b) => a + b, 0);
  const idle = (values[3] ?? 0) + (values[4] ?? 0);
  return { busy: total - idle, total };
}

export interface CpuUse {
  /** CPU seconds per role during the measured span. */
  seconds: Record<string, number>;
  /** Share of all cores busy during the span (everything on the machine, not only the benchmark), %. */
  machineBusy: number;
}

/** PostgreSQL backends serving `database` (the benchmark's connections only, not other users of the server). */
async function backends(db: string): Promise<number[]> {
  const client = new Client({ connectionString: db });
  await client.connect();
  try {
    const name = decodeURIComponent(new URL(db).pathname.slice(1));
    const { rows } = await client.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name]);
    return rows.map((r) => r.pid);
  } finally {
    await client.end();
  }
}

/** Starts counting CPU for the given processes (and the bench database's backends); `stop()` gives the use. */
export async function cpuMeter(db: string, pids: Record<string, number>): Promise<{ stop(): Promise<CpuUse> }> {
  const pgAtStart = await backends(db);
  const start = new Map<number, number>([...pgAtStart, ...Object.values(pids)].map((pid) => [pid, cpuMsOf(pid)]));
  const ownStart = process.cpuUsage();
  const machineStart = machine();
  return {
    async stop() {
      const ownUse = process.cpuUsage(ownStart);
      const machineEnd = machine();
      const pg = new Set([...pgAtStart, ...(await backends(db))]);
      const used = (pid: number) => Math.max(0, cpuMsOf(pid) - (start.get(pid) ?? 0));
      const seconds: Record<string, number> = {};
      for (const [role, pid] of Object.entries(pids)) seconds[role] = used(pid) / 1000;
      seconds.postgres = [...pg].reduce((sum, pid) => sum + used(pid), 0) / 1000;
      seconds['load generator'] = (ownUse.user + ownUse.system) / 1e6;
      const total = machineEnd.total - machineStart.total;
      return { seconds, machineBusy: total > 0 ? (100 * (machineEnd.busy - machineStart.busy)) / total : Number.NaN };
    },
  };
}
