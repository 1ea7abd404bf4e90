import { randomUUID } from 'node:crypto';
import { claimSql } from '../../src/push/claim.sql';
import { createOutboxRepository } from '../../src/push/outbox.repository';
import { openTestDatabase, type TestDatabase } from '../helpers/test-database';

/**
 * Found by `npm run bench:push`: 200 locations PUT to a node with 10 registered eMSPs (2,000 deliveries)
 * took over two minutes to deliver, while each push took ~30 ms, and under a stream of EVSE changes the
 * queue filled to ~190 rows per partner and stayed there, PostgreSQL burning a core. The claim query
 * (src/push/outbox.repository.ts `claim`) semi-joins the due rows with a window-function subquery over
 * every due row; right after a burst, before autovacuum has analyzed the table (at most once a minute,
 * and a queue that is usually empty is analyzed while empty), the planner expects ~1 row and picks a
 * nested loop comparing every due row with every ranked row: ~0.4-4 s per claim at 2,000 pending,
 * growing with the square of the backlog (a resync of a partner with 10,000 locations is such a burst).
 * The worker claims one batch at a time, so deliveries nearly stop exactly when there is most to do.
 *
 * The worker's own outbox repository against the test database (embedded or TEST_DATABASE_URL). The
 * claim's cost is measured as work, not time (which depends on the machine and what else runs on it):
 * the rows its plan processes, from EXPLAIN ANALYZE of the statement the worker runs (claimSql),
 * planned for these parameters.
 */

jest.setTimeout(60_000);

let db: TestDatabase;

beforeAll(async () => {
  db = await openTestDatabase();
  await db.reset();
});
afterAll(async () => {
  await db.reset();
  await db.close();
});

async function backlog(partners: number, objectsEach: number): Promise<void> {
  const outbox = createOutboxRepository(db.prisma);
  const keys = Array.from({ length: objectsEach }, (_, i) => `LOC${i}`);
  for (let i = 0; i < partners; i++) {
    const id = randomUUID();
    await db.prisma.$executeRaw`INSERT INTO partners (id, status) VALUES (${id}::uuid, 'REGISTERED')`;
    await outbox.resync(id, 'locations', keys);
  }
}

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Actual Rows': number;
  'Actual Loops': number;
  'Rows Removed by Filter'?: number;
  'Rows Removed by Join Filter'?: number;
  Plans?: PlanNode[];
}

/** Rows processed by every node of the plan, filtered-out ones included, times the node's loops. */
function rowsProcessed(node: PlanNode): number {
  const own = (node['Actual Rows'] + (node['Rows Removed by Filter'] ?? 0) + (node['Rows Removed by Join Filter'] ?? 0)) * node['Actual Loops'];
  return own + (node.Plans ?? []).reduce((sum, child) => sum + rowsProcessed(child), 0);
}

/**
 * Delivery rows the plan reads by anything but their primary key (each partner's due rows, or a
 * backlog read whole), filtered-out ones included, times the node's loops.
 */
function deliveriesScanned(node: PlanNode): number {
  const scan = /Scan$/.test(node['Node Type']) && node['Relation Name'] === 'deliveries' && node['Index Name'] !== 'deliveries_pkey';
  const own = scan ? (node['Actual Rows'] + (node['Rows Removed by Filter'] ?? 0)) * node['Actual Loops'] : 0;
  return own + (node.Plans ?? []).reduce((sum, child) => sum + deliveriesScanned(child), 0);
}

class RolledBack extends Error {}

/** The plan of claiming `limit` deliveries (at most `perPartner` per partner), run and rolled back. */
async function claimPlan(limit: number, perPartner: number): Promise<PlanNode> {
  const statement = claimSql(limit, perPartner, 6500, new Map());
  let plan: PlanNode | undefined;
  await db.prisma
    .$transaction(async (tx) => {
      const [row] = await tx.$queryRawUnsafe<{ 'QUERY PLAN': unknown }[]>(`EXPLAIN (ANALYZE, FORMAT JSON) ${statement.text}`, ...statement.values);
      const explained = row!['QUERY PLAN'];
      const [top] = (typeof explained === 'string' ? JSON.parse(explained) : explained) as { Plan: PlanNode }[];
      plan = top!.Plan;
      throw new RolledBack();
    })
    .catch((error: unknown) => {
      if (!(error instanceof RolledBack)) throw error;
    });
  return plan!;
}

const claimWork = async (limit: number, perPartner: number): Promise<number> => Math.round(rowsProcessed(await claimPlan(limit, perPartner)));

const BACKLOG = 2000;
/** Linear in the backlog, with room for the plan's few passes over it; the quadratic plan processed millions. */
const LINEAR_WORK = 25 * BACKLOG;

describe('claiming behind an import', () => {
  // First in this file: the later tests ANALYZE deliveries, and statistics outlive TRUNCATE.
  it('when 40,000 deliveries (2 partners x 20,000 objects) were enqueued on a table never ANALYZEd, then the claim reads each partner’s due rows only up to its window, not its backlog', async () => {
    await backlog(2, 20_000);
    const plan = await claimPlan(16, 4);
    const scanned = deliveriesScanned(plan);
    process.stdout.write(`[claim] behind 40,000 deliveries: ${scanned} delivery rows read other than by id\n`);
    expect(scanned).toBeLessThanOrEqual(2 * 4);
    expect(await createOutboxRepository(db.prisma).claim(16, 4, 6500, new Map())).toHaveLength(8);
    await db.reset();
  });
});

describe('claiming from a large backlog', () => {
  it('when 2,000 deliveries (10 partners x 200 objects) have just been enqueued, then claiming a worker batch of 16 processes a number of rows linear in the backlog', async () => {
    await backlog(10, BACKLOG / 10);
    const work = await claimWork(16, 4);
    process.stdout.write(`[claim] stale statistics: ${work} rows processed\n`);
    expect(work).toBeLessThan(LINEAR_WORK);
    expect(await createOutboxRepository(db.prisma).claim(16, 4, 6500, new Map())).toHaveLength(16);
  });

  it('when the same backlog has been ANALYZEd (fresh statistics), then the claim still processes a number of rows linear in the backlog', async () => {
    await db.prisma.$executeRawUnsafe('ANALYZE deliveries');
    const work = await claimWork(16, 4);
    process.stdout.write(`[claim] fresh statistics: ${work} rows processed\n`);
    expect(work).toBeLessThan(LINEAR_WORK);
    expect(await createOutboxRepository(db.prisma).claim(16, 4, 6500, new Map())).toHaveLength(16);
  });

  it('when half the partners of that backlog are unreachable with a probe due and one has had a transport failure, then the claim (probes included) still processes a number of rows linear in the backlog', async () => {
    await db.prisma.$executeRawUnsafe(`
      INSERT INTO partner_push_stats (partner_id, consecutive_failures, unreachable_since, next_probe_at)
      SELECT id, 3, now(), now() FROM partners ORDER BY id LIMIT 5`);
    await db.prisma.$executeRawUnsafe(`
      INSERT INTO partner_push_stats (partner_id, consecutive_failures)
      SELECT id, 1 FROM partners WHERE id NOT IN (SELECT partner_id FROM partner_push_stats) ORDER BY id LIMIT 1`);
    const work = await claimWork(16, 4);
    process.stdout.write(`[claim] with unreachable partners: ${work} rows processed\n`);
    expect(work).toBeLessThan(LINEAR_WORK);
    const claimed = await createOutboxRepository(db.prisma).claim(16, 4, 6500, new Map());
    expect({ probes: claimed.filter((d) => d.probe).length, others: claimed.filter((d) => !d.probe).length }).toEqual({ probes: 5, others: 16 });
  });
});
