import type { PoolUse } from './database';
import type { Metrics, Sample } from './metrics';

/** The database pool's use, read at scrape time: its size, connections open and idle, queries waiting for one. */
export function poolMetrics(metrics: Metrics, use: () => PoolUse | undefined): void {
  const gauge = (name: string, help: string, value: (use: PoolUse) => number) =>
    metrics.scrapedGauge(name, help, [], (): Sample<never>[] => {
      const now = use();
      return now ? [{ labels: {}, value: value(now) }] : [];
    });
  gauge('db_pool_max_connections', 'Size of the database connection pool', (u) => u.max);
  gauge('db_pool_connections', 'Database connections open (idle and in use)', (u) => u.total);
  gauge('db_pool_idle_connections', 'Database connections open and idle', (u) => u.idle);
  gauge('db_pool_waiting_queries', 'Queries waiting for a database connection', (u) => u.waiting);
}
