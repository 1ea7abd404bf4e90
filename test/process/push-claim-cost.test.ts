import { randomUUID } from 'node:crypto';
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
 * The worker's own outbox repository against the test database (embedded or TEST_DATABASE_URL).
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

describe('claiming from a large backlog', () => {
  it('when 2,000 deliveries (10 partners x 200 objects) have just been enqueued, then claiming a worker batch of 16 takes under 100 ms', async () => {
    await backlog(10, 200);
    const outbox = createOutboxRepository(db.prisma);
    await outbox.claim(1, 4, 6500, new Map()); // connection and statement warm-up

    const started = performance.now();
    const claimed = await outbox.claim(16, 4, 6500, new Map());
    const elapsed = performance.now() - started;

    expect(claimed).toHaveLength(16);
    expect(Math.round(elapsed)).toBeLessThan(100);
  });

  it('when the same backlog has been ANALYZEd (fresh statistics), then the same claim takes under 100 ms (the query plan is what is slow, not the work)', async () => {
    await db.prisma.$executeRawUnsafe('ANALYZE deliveries');
    const outbox = createOutboxRepository(db.prisma);

    const started = performance.now();
    const claimed = await outbox.claim(16, 4, 6500, new Map());
    const elapsed = performance.now() - started;

    expect(claimed).toHaveLength(16);
    expect(Math.round(elapsed)).toBeLessThan(100);
  });
});
