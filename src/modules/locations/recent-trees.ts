import { LRUCache } from 'lru-cache';
import { idKey, type LocationNode } from './location-tree';

/**
 * A tree's approximate footprint on the JavaScript heap: measured at about 3.6 bytes per byte of its
 * JSON (objects, short strings, Dates and BigInts), rounded up.
 */
function approximateBytes(tree: LocationNode): number {
  let jsonBytes = JSON.stringify(tree.data).length;
  for (const evse of tree.evses) {
    jsonBytes += JSON.stringify(evse.data).length;
    for (const connector of evse.connectors) jsonBytes += JSON.stringify(connector.data).length;
  }
  return 4 * jsonBytes + 200 * (1 + tree.evses.length);
}

/**
 * The trees this process last wrote, so the next update of one can skip reading it. Bounded by its
 * approximate size in bytes (a handful of large locations must not hold more memory than many small ones).
 */
export function createRecentTrees(maxBytes: number) {
  const keyOf = (countryCode: string, partyId: string, id: string) => `${countryCode}/${partyId}/${idKey(id)}`;
  const trees = new LRUCache<string, LocationNode>({ maxSize: Math.max(1, maxBytes), sizeCalculation: approximateBytes });
  return {
    get: (countryCode: string, partyId: string, id: string) => trees.get(keyOf(countryCode, partyId, id)),
    forget: (countryCode: string, partyId: string, id: string) => void trees.delete(keyOf(countryCode, partyId, id)),
    remember(tree: LocationNode): void {
      if (maxBytes > 0) trees.set(keyOf(tree.countryCode, tree.partyId, tree.id), tree);
    },
    /** For diagnosis (docs/benchmarks.md): how many trees, and their approximate bytes. */
    stats: () => ({ trees: trees.size, bytes: trees.calculatedSize }),
  };
}

export type RecentTrees = ReturnType<typeof createRecentTrees>;
