import { Tariff } from '../../src/modules/tariffs/tariffs.schema';
import { problemsWith } from '../../src/ocpi/validate';
import type { Emsps } from '../locations/import';
import type { Target } from '../locations/measure';
import type { PerServer } from '../locations/rows';
import { COUNTRY_CODE, PARTY_ID } from '../locations/seed';
import { fetchData } from '../locations/servers';

export const TARIFFS_PATH = '/ocpi/2.2.1/tariffs';

export interface VerifyPages {
  n: number;
  farOffset: number;
  farCursor: string;
  pageSize: number;
}

/**
 * Before anything is timed: the first page, the page at 90% by plain offset and by cursor are valid OCPI Tariffs,
 * the same (to the byte, field order included) from the node and the baseline, with X-Total-Count = N; the offset
 * and cursor pages are equal; and the eMSP holds each tariff of those pages as the node serves it.
 * Returns the mean size of one tariff as each server serves it.
 */
export async function verifyTariffs(targets: PerServer<Target>, emsps: Emsps, { n, farOffset, farCursor, pageSize }: VerifyPages): Promise<PerServer<number>> {
  const pages = [
    { path: `${TARIFFS_PATH}?limit=${pageSize}`, expected: Math.min(pageSize, n) },
    { path: `${TARIFFS_PATH}?offset=${farOffset}&limit=${pageSize}`, expected: Math.min(pageSize, n - farOffset) },
    { path: `${TARIFFS_PATH}?offset=${farOffset}&limit=${pageSize}&cursor=${farCursor}`, expected: Math.min(pageSize, n - farOffset) },
  ];
  const bytes = { ours: 0, baseline: 0 };
  let count = 0;
  const texts: string[] = [];
  for (const { path, expected } of pages) {
    const [a, b] = await Promise.all([fetchData(targets.ours, path), fetchData(targets.baseline, path)]);
    const items = a.data as Record<string, unknown>[];
    if (items.length !== expected) throw new Error(`ours: ${path} returned ${items.length} tariffs, expected ${expected}`);
    for (const item of items) {
      const problems = problemsWith(Tariff, item);
      if (problems.length > 0) throw new Error(`the node serves an invalid Tariff in ${path}: ${problems.join('; ')}`);
    }
    const [x, y] = [JSON.stringify(a.data), JSON.stringify(b.data)];
    if (x !== y) throw new Error(`ours and the baseline differ for ${path}:\nours     ${x.slice(0, 400)}\nbaseline ${y.slice(0, 400)}`);
    for (const [label, reply] of [['ours', a], ['baseline', b]] as const) {
      if (reply.headers['x-total-count'] !== String(n)) throw new Error(`${label}: X-Total-Count ${String(reply.headers['x-total-count'])} for ${path}, expected ${n}`);
    }
    texts.push(x);
    bytes.ours += Buffer.byteLength(x) - 2;
    bytes.baseline += Buffer.byteLength(y) - 2;
    count += items.length;
    const held = await emsps.heldTariffs(0, items.map((item) => `${COUNTRY_CODE}/${PARTY_ID}/${String(item.id).toUpperCase()}`));
    held.forEach((copy, i) => {
      if (JSON.stringify(copy) !== JSON.stringify(items[i])) throw new Error(`the eMSP holds ${JSON.stringify(copy)?.slice(0, 300)} for ${String(items[i]!.id)}, the node serves ${JSON.stringify(items[i]).slice(0, 300)}`);
    });
  }
  if (texts[1] !== texts[2]) throw new Error('ours: the cursor page differs from the plain offset page');
  return { ours: bytes.ours / count, baseline: bytes.baseline / count };
}
