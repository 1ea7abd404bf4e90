import type { Prisma } from '../../generated/prisma/client';
import type { PrismaClient } from '../../platform/database';
import { parseTree, TREE_JSON_SQL } from './location-read.sql';
import { diffTree, idKey, inStorageOrder, type LocationNode, type TreeChanges } from './location-tree';
import { ConcurrentWriteError, DuplicateKeyError, type ChangeFeed, type LocationPlanner, type MutateOutcome } from './location-writes';

type Tx = Prisma.TransactionClient;

const MAX_ATTEMPTS = 5;

const isUniqueViolation = (error: unknown) => (error as { code?: string }).code === 'P2002';

async function readTree(tx: Tx, countryCode: string, partyId: string, id: string): Promise<LocationNode | undefined> {
  const [row] = await tx.$queryRawUnsafe<{ tree: string }[]>(TREE_JSON_SQL, countryCode, partyId, idKey(id));
  return row && parseTree(row.tree);
}

/** Writes the changes; the root row's version is the compare-and-set guard for the whole tree. */
async function apply(tx: Tx, stored: LocationNode | undefined, changes: TreeChanges): Promise<void> {
  const result = changes.result;
  let locationPk = stored?.pk;
  const row = { publish: result.publish, data: result.data as Prisma.InputJsonValue, lastUpdated: result.lastUpdated, rowVersion: result.version };
  if (changes.location === 'insert') {
    const created = await tx.location.create({
      data: { countryCode: result.countryCode, partyId: result.partyId, id: result.id, idKey: idKey(result.id), ...row },
    });
    locationPk = created.pk;
  } else if (changes.location === 'update') {
    const updated = await tx.location.updateMany({ where: { pk: stored!.pk, rowVersion: stored!.version }, data: row });
    if (updated.count !== 1) throw new ConcurrentWriteError();
  }
  const evsePks = new Map((stored?.evses ?? []).map((e) => [idKey(e.uid), e.pk as bigint]));
  for (const { node, action } of changes.evses) {
    const data = { status: node.status, data: node.data as Prisma.InputJsonValue, lastUpdated: node.lastUpdated, rowVersion: node.version };
    if (action === 'insert') {
      const created = await tx.evse.create({ data: { locationPk: locationPk!, uid: node.uid, uidKey: idKey(node.uid), ...data } });
      evsePks.set(idKey(node.uid), created.pk);
    } else {
      await tx.evse.update({ where: { pk: node.pk! }, data });
    }
  }
  if (changes.deletedConnectorPks.length > 0) await tx.connector.deleteMany({ where: { pk: { in: changes.deletedConnectorPks } } });
  for (const { evseUid, node, action } of changes.connectors) {
    const data = { data: node.data as Prisma.InputJsonValue, lastUpdated: node.lastUpdated, rowVersion: node.version };
    if (action === 'insert') {
      await tx.connector.create({ data: { evsePk: evsePks.get(idKey(evseUid))!, id: node.id, idKey: idKey(node.id), ...data } });
    } else {
      await tx.connector.update({ where: { pk: node.pk! }, data });
    }
  }
}

/**
 * Every write the single statements cannot take (rows inserted into or deleted from a stored tree, a
 * lost race): lock the location row, read, plan, apply, enqueue, in one transaction. A lost race (two
 * creations of one location, say) starts over on fresh state.
 */
export function createTransactionWriter(prisma: PrismaClient, now: () => Date, feed?: ChangeFeed) {
  async function attempt(countryCode: string, partyId: string, id: string, plan: LocationPlanner): Promise<MutateOutcome> {
    return prisma.$transaction(async (tx) => {
      // Writers of one location queue here instead of failing each other's compare-and-set.
      await tx.$queryRaw`SELECT pk FROM locations WHERE country_code = ${countryCode} AND party_id = ${partyId} AND id_key = ${idKey(id)} FOR UPDATE`;
      const stored = await readTree(tx, countryCode, partyId, id);
      const { desired, ifChanged } = plan(stored);
      const changes = diffTree(stored, desired, now());
      if (changes.location === 'none') return { before: stored, changes };
      ifChanged?.();
      await apply(tx, stored, changes);
      await feed?.enqueue(tx, 'locations', idKey(id));
      // Only new rows lack the primary keys the result carries; an update needs no re-read.
      const inserted = changes.location === 'insert' || [...changes.evses, ...changes.connectors].some((c) => c.action === 'insert');
      changes.result = inserted ? (await readTree(tx, countryCode, partyId, id))! : inStorageOrder(changes.result);
      return { before: stored, changes };
    });
  }

  return async function write(countryCode: string, partyId: string, id: string, plan: LocationPlanner): Promise<MutateOutcome> {
    for (let attempts = 1; ; attempts++) {
      try {
        const outcome = await attempt(countryCode, partyId, id, plan);
        if (outcome.changes.location !== 'none') feed?.committed();
        return outcome;
      } catch (error) {
        const duplicate = isUniqueViolation(error);
        if (duplicate && attempts >= MAX_ATTEMPTS) throw new DuplicateKeyError('unique key taken', { cause: error });
        if (!(duplicate || error instanceof ConcurrentWriteError) || attempts >= MAX_ATTEMPTS) throw error;
      }
    }
  };
}
