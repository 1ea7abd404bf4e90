import { diffTree, type LocationNode } from '../../../../src/modules/locations/location-tree';
import { evseNodeFrom } from '../../../../src/modules/locations/location-nodes';

const T0 = new Date('2026-01-01T00:00:00.000Z');
const NOW = new Date('2026-02-01T00:00:00.000Z');

function stored(): LocationNode {
  const evse = (uid: string, pk: bigint) => ({
    ...evseNodeFrom({ uid, status: 'AVAILABLE', connectors: [{ id: '1', standard: 'IEC_62196_T2' }, { id: '2', standard: 'CHADEMO' }] }),
    pk,
    lastUpdated: T0,
    version: 3,
    connectors: [
      { id: '1', pk: pk * 10n + 1n, data: { id: '1', standard: 'IEC_62196_T2' }, lastUpdated: T0, version: 2 },
      { id: '2', pk: pk * 10n + 2n, data: { id: '2', standard: 'CHADEMO' }, lastUpdated: T0, version: 2 },
    ],
  });
  return {
    pk: 1n,
    countryCode: 'NL',
    partyId: 'CPO',
    id: 'LOC1',
    publish: true,
    data: { id: 'LOC1', name: 'A' },
    lastUpdated: T0,
    version: 7,
    evses: [evse('E1', 1n), evse('E2', 2n)],
  };
}

function desiredFrom(location: LocationNode): LocationNode {
  return structuredClone(location);
}

describe('diffTree', () => {
  it('when nothing changed, then nothing is written and the stored tree is the result', () => {
    const changes = diffTree(stored(), desiredFrom(stored()), NOW);
    expect(changes.location).toBe('none');
    expect(changes.evses).toEqual([]);
    expect(changes.connectors).toEqual([]);
    expect(changes.deletedConnectorPks).toEqual([]);
    expect(changes.result.version).toBe(7);
    expect(changes.result.lastUpdated).toEqual(T0);
  });

  it('when one connector changes, then it, its EVSE and the location are bumped, and nothing else', () => {
    const desired = desiredFrom(stored());
    desired.evses[0]!.connectors[1]!.data = { id: '2', standard: 'IEC_62196_T2_COMBO' };
    const changes = diffTree(stored(), desired, NOW);
    expect(changes.location).toBe('update');
    expect(changes.connectors.map((c) => [c.node.id, c.action, c.node.version])).toEqual([['2', 'update', 3]]);
    expect(changes.evses.map((e) => [e.node.uid, e.node.version])).toEqual([['E1', 4]]);
    expect(changes.result.version).toBe(8);
    expect(changes.result.lastUpdated).toEqual(NOW);
    const untouched = changes.result.evses.find((e) => e.uid === 'E2')!;
    expect(untouched.lastUpdated).toEqual(T0);
    expect(untouched.version).toBe(3);
  });

  it('when a connector is left out, then it is deleted and its EVSE is bumped', () => {
    const desired = desiredFrom(stored());
    desired.evses[1]!.connectors = desired.evses[1]!.connectors.slice(0, 1);
    const changes = diffTree(stored(), desired, NOW);
    expect(changes.deletedConnectorPks).toEqual([22n]);
    expect(changes.evses.map((e) => e.node.uid)).toEqual(['E2']);
    expect(changes.location).toBe('update');
  });

  it('when ids differ only in case, then they match the stored rows', () => {
    const desired = desiredFrom(stored());
    desired.evses[0]!.uid = 'e1';
    desired.evses[0]!.connectors[0]!.id = '1';
    const changes = diffTree(stored(), desired, NOW);
    expect(changes.location).toBe('none');
  });

  it('when there is no stored location, then everything is inserted at version 1', () => {
    const changes = diffTree(undefined, desiredFrom(stored()), NOW);
    expect(changes.location).toBe('insert');
    expect(changes.evses.every((e) => e.action === 'insert' && e.node.version === 1)).toBe(true);
    expect(changes.connectors).toHaveLength(4);
    expect(changes.result.version).toBe(1);
  });

  it('when only the location’s own field changes, then its EVSEs keep their versions', () => {
    const desired = desiredFrom(stored());
    desired.data = { id: 'LOC1', name: 'B' };
    const changes = diffTree(stored(), desired, NOW);
    expect(changes.location).toBe('update');
    expect(changes.evses).toEqual([]);
    expect(changes.result.evses.map((e) => e.version)).toEqual([3, 3]);
  });
});
