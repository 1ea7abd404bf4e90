import { sameLocation } from '../../../../src/modules/locations/location-compare';

const connector = (id: string, extra: Record<string, unknown> = {}) => ({ id, standard: 'IEC_62196_T2', last_updated: '2026-03-01T12:00:00.000Z', ...extra });
const evse = (uid: string) => ({ uid, status: 'AVAILABLE', connectors: [connector('1'), connector('2')], last_updated: '2026-03-01T12:00:00.000Z' });
const ours = { id: 'LOC1', name: 'Station', evses: [evse('E1'), evse('E2')], facilities: ['HOTEL', 'CAFE'], last_updated: '2026-03-01T12:00:00.000Z' };

describe('sameLocation', () => {
  it('when the copy is ours with keys in another order, then it is the same', () => {
    const { evses, ...rest } = ours;
    expect(sameLocation({ evses, ...Object.fromEntries(Object.entries(rest).reverse()) }, ours)).toBe(true);
  });

  it('when a field is null in the copy and absent in ours, then it is the same', () => {
    expect(sameLocation({ ...ours, directions: null, evses: ours.evses.map((e) => ({ ...e, floor_level: null })) }, ours)).toBe(true);
  });

  it('when last_updated is the same instant in another spelling, then it is the same; another instant is a difference', () => {
    expect(sameLocation({ ...ours, last_updated: '2026-03-01T12:00:00Z' }, ours)).toBe(true);
    expect(sameLocation({ ...ours, last_updated: '2026-03-01T12:00:00' }, ours)).toBe(true);
    expect(sameLocation({ ...ours, last_updated: '2026-03-01T12:00:01Z' }, ours)).toBe(false);
  });

  it('when EVSEs or connectors come in another order, then it is the same; another order of other lists is a difference', () => {
    const reordered = [...ours.evses].reverse().map((e) => ({ ...e, connectors: [...e.connectors].reverse() }));
    expect(sameLocation({ ...ours, evses: reordered }, ours)).toBe(true);
    expect(sameLocation({ ...ours, facilities: ['CAFE', 'HOTEL'] }, ours)).toBe(false);
  });

  it('when a field differs, is missing or is added at any level, then it is a difference', () => {
    expect(sameLocation({ ...ours, name: 'Other' }, ours)).toBe(false);
    expect(sameLocation({ ...ours, evses: [ours.evses[0]] }, ours)).toBe(false);
    expect(sameLocation({ ...ours, evses: [ours.evses[0], { ...evse('E2'), connectors: [connector('1', { max_voltage: 400 }), connector('2')] }] }, ours)).toBe(false);
    expect(sameLocation({ ...ours, their_own_field: 1 }, ours)).toBe(false);
    expect(sameLocation('not an object', ours)).toBe(false);
  });
});
