import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { claimSql } from '../../src/push/claim.sql';
import { openTestDatabase, type TestDatabase } from '../helpers/test-database';

/**
 * Issue 8 item 6: among all the processes sharing a database, exactly one takes the probe of an
 * unreachable partner when its probe time comes, and nobody takes its other deliveries. The claim
 * statement the worker runs (claimSql), raced on separate connections, as several node processes
 * would run it (on the embedded database the connections take turns, on PostgreSQL they truly race).
 */

jest.setTimeout(60_000);

const LEASE_MS = 6500;
const RACERS = 6;
const ROUNDS = 10;

let db: TestDatabase;
let clients: Client[];

beforeAll(async () => {
  db = await openTestDatabase();
  await db.reset();
  clients = Array.from({ length: RACERS }, () => new Client({ connectionString: db.url }));
  await Promise.all(clients.map((c) => c.connect()));
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.end()));
  await db.reset();
  await db.close();
});

/** A registered partner with `count` pending deliveries, LOC00 first in claim order; its stats row as given. */
async function partnerWith(count: number, stats: string): Promise<string> {
  const id = randomUUID();
  await db.prisma.$executeRawUnsafe(`INSERT INTO partners (id, status) VALUES ('${id}', 'REGISTERED')`);
  await db.prisma.$executeRawUnsafe(`
    INSERT INTO deliveries (partner_id, module, object_key, status, next_attempt_at, changed_at)
    SELECT '${id}', 'locations', 'LOC' || lpad(i::text, 2, '0'), 'PENDING', now() - interval '1 hour' + i * interval '1 second', now()
    FROM generate_series(0, ${count - 1}) AS i`);
  await db.prisma.$executeRawUnsafe(`INSERT INTO partner_push_stats (partner_id, ${stats.split('=')[0]}) VALUES ('${id}', ${stats.split('=')[1]})`);
  return id;
}

interface Claimed {
  id: string;
  partner_id: string;
  object_key: string;
  probe: boolean;
}

/** One claim of `limit` deliveries, at most `perPartner` per partner, on `client`'s connection. */
async function claim(client: Client, limit: number, perPartner: number): Promise<Claimed[]> {
  const statement = claimSql(limit, perPartner, LEASE_MS, new Map());
  const result = await client.query<Claimed>(statement.text, statement.values as unknown[]);
  return result.rows.map((row) => ({ ...row, id: String(row.id) }));
}

/** Every racer claims at once, on its own connection. */
const race = (limit: number, perPartner: number) => Promise.all(clients.map((c) => claim(c, limit, perPartner)));

describe('the probe of an unreachable partner, claimed by several processes at once', () => {
  it('when its probe time has come, then exactly one claim takes a probe, the first of its deliveries in claim order, and none takes any other of them', async () => {
    const down = await partnerWith(40, 'consecutive_failures=3');
    const up = await partnerWith(40, 'consecutive_failures=0');
    await db.prisma.$executeRawUnsafe(`UPDATE partner_push_stats SET unreachable_since = now(), next_probe_at = now() WHERE partner_id = '${down}'`);

    for (let round = 0; round < ROUNDS; round++) {
      await db.prisma.$executeRawUnsafe(`UPDATE partner_push_stats SET next_probe_at = now() - interval '1 second' WHERE partner_id = '${down}'`);
      await db.prisma.$executeRawUnsafe(`UPDATE deliveries SET claim_token = NULL, locked_until = NULL`);
      const claims = (await race(4, 2)).flat();
      const ofDown = claims.filter((c) => c.partner_id === down);
      expect({ round, ofDown: ofDown.map((c) => [c.object_key, c.probe]) }).toEqual({ round, ofDown: [['LOC00', true]] });
      expect(claims.filter((c) => c.partner_id === up).every((c) => !c.probe)).toBe(true);
      expect(new Set(claims.map((c) => c.id)).size).toBe(claims.length);

      const [stats] = await db.prisma.$queryRawUnsafe<{ ahead_ms: number }[]>(
        `SELECT extract(epoch FROM next_probe_at - now()) * 1000 AS ahead_ms FROM partner_push_stats WHERE partner_id = '${down}'`,
      );
      expect(Number(stats!.ahead_ms)).toBeGreaterThan(LEASE_MS - 2000);
      // Until then (the probe's outcome sets the real time) nobody probes again, nor takes its other deliveries.
      expect((await race(4, 2)).flat().filter((c) => c.partner_id === down)).toEqual([]);
    }
  });

  it('when the first delivery is still out (its lease running), then the probe is the next one in claim order', async () => {
    await db.reset();
    const down = await partnerWith(5, 'consecutive_failures=3');
    await db.prisma.$executeRawUnsafe(`UPDATE partner_push_stats SET unreachable_since = now(), next_probe_at = now() WHERE partner_id = '${down}'`);
    await db.prisma.$executeRawUnsafe(`UPDATE deliveries SET claim_token = gen_random_uuid(), locked_until = now() + interval '1 minute' WHERE object_key = 'LOC00'`);
    expect((await race(4, 2)).flat().map((c) => [c.object_key, c.probe])).toEqual([['LOC01', true]]);
  });

  it('when a partner has had a transport failure but is not unreachable yet, then one claim takes one of its deliveries, not a batch', async () => {
    await db.reset();
    const troubled = await partnerWith(10, 'consecutive_failures=1');
    const one = await claim(clients[0]!, 16, 8);
    expect(one.map((c) => [c.partner_id, c.object_key, c.probe])).toEqual([[troubled, 'LOC00', false]]);
  });
});
