import { evseNodeFrom } from '../../../../src/modules/locations/location-nodes';
import type { LocationNode } from '../../../../src/modules/locations/location-tree';
import { createRecentTrees } from '../../../../src/modules/locations/recent-trees';
import { locationBody } from '../../../helpers/location-factory';

function tree(id: string, evseCount: number): LocationNode {
  const { evses, ...data } = locationBody(id);
  const template = (evses as Parameters<typeof evseNodeFrom>[0][])[0]!;
  const all = Array.from({ length: evseCount }, (_, i) => evseNodeFrom({ ...template, uid: `${id}-E${i}` }));
  return { countryCode: 'NL', partyId: 'CPO', id, publish: true, data, lastUpdated: new Date(0), version: 1, evses: all };
}

describe('the trees a process remembers (issue 8.3: caches are bounded by bytes, not entries)', () => {
  it('when locations of very different sizes are remembered, then the cache holds what fits its byte budget, not a fixed number', () => {
    const small = createRecentTrees(64 * 1024);
    for (let i = 0; i < 200; i++) small.remember(tree(`S${i}`, 1));
    const large = createRecentTrees(64 * 1024);
    for (let i = 0; i < 200; i++) large.remember(tree(`L${i}`, 20));

    for (const cache of [small, large]) expect(cache.stats().bytes).toBeLessThanOrEqual(64 * 1024);
    expect(small.stats().trees).toBeGreaterThan(5 * large.stats().trees);
    expect(large.stats().trees).toBeGreaterThan(0);
  });

  it('when a tree is remembered, then it is found by its id in any case until it is forgotten', () => {
    const trees = createRecentTrees(1024 * 1024);
    trees.remember(tree('Loc-1', 2));
    expect(trees.get('NL', 'CPO', 'LOC-1')?.id).toBe('Loc-1');
    trees.forget('NL', 'CPO', 'loc-1');
    expect(trees.get('NL', 'CPO', 'Loc-1')).toBeUndefined();
  });

  it('when the budget is 0, then nothing is remembered', () => {
    const trees = createRecentTrees(0);
    trees.remember(tree('L1', 2));
    expect(trees.stats().trees).toBe(0);
  });
});
