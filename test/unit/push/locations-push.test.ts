import type { OcpiFields } from '../../../src/modules/locations/location-tree';
import { locationRequests } from '../../../src/modules/locations/locations.push';
import type { PushRequest } from '../../../src/push/delivery-handler';

/** What a location change becomes at an eMSP's receiver (digest §3.1.2, §4), as pure input and output. */

const URL = 'https://emsp.example.com/ocpi/2.2.1/locations/NL/CPO/LOC1';
const T0 = '2026-03-01T12:00:00.000Z';
const T1 = '2026-03-01T12:00:01.000Z';
const T2 = '2026-03-01T12:00:02.000Z';

type Fields = Record<string, any>;

function connector(id: string, overrides: Fields = {}, lastUpdated = T0): Fields {
  return { id, standard: 'IEC_62196_T2', format: 'SOCKET', power_type: 'AC_3_PHASE', max_voltage: 230, max_amperage: 32, max_electric_power: 22000, ...overrides, last_updated: lastUpdated };
}

function evse(uid: string, overrides: Fields = {}, lastUpdated = T0): Fields {
  return {
    uid,
    evse_id: `NL*CPO*E${uid}`,
    status: 'AVAILABLE',
    capabilities: ['RFID_READER'],
    physical_reference: 'P1',
    connectors: [connector('1'), connector('2')],
    ...overrides,
    last_updated: lastUpdated,
  };
}

function location(overrides: Fields = {}, lastUpdated = T0): Fields {
  return {
    country_code: 'NL',
    party_id: 'CPO',
    id: 'LOC1',
    publish: true,
    name: 'Station',
    address: 'Stationsplein 1',
    city: 'Utrecht',
    country: 'NLD',
    coordinates: { latitude: '52.089444', longitude: '5.110278' },
    time_zone: 'Europe/Amsterdam',
    evses: [evse('E1'), evse('E2')],
    ...overrides,
    last_updated: lastUpdated,
  };
}

/** A change at T1, with `last_updated` bumped on the changed object and its parents (as our store does). */
const atT1 = {
  evse: (uid: string, overrides: Fields = {}, connectors?: Fields[]) => evse(uid, connectors ? { ...overrides, connectors } : overrides, T1),
};

/**
 * A receiver as the spec describes it: PUT replaces at the depth of the URL, PATCH merges fields, and
 * both set the parents' `last_updated` to the pushed one. Pure, so the requests can be checked by effect.
 */
function applyAtReceiver(held: Fields | undefined, request: PushRequest): Fields | undefined {
  expect(request.url.startsWith(URL)).toBe(true);
  const [uid, connectorId] = request.url.slice(URL.length).split('/').filter(Boolean).map(decodeURIComponent);
  const body = request.body as Fields;
  const merge = (before: Fields | undefined) => (request.method === 'PUT' ? structuredClone(body) : { ...before, ...structuredClone(body) });
  if (uid === undefined) return merge(held);
  const next = structuredClone(held!) as Fields;
  next.last_updated = body.last_updated;
  const evses = next.evses as Fields[];
  const index = evses.findIndex((e) => e.uid === uid);
  if (connectorId === undefined) {
    if (index >= 0) evses[index] = merge(evses[index]);
    else evses.push(merge(undefined));
    return next;
  }
  const parent = evses[index]!;
  parent.last_updated = body.last_updated;
  const connectors = parent.connectors as Fields[];
  const at = connectors.findIndex((c) => c.id === connectorId);
  if (at >= 0) connectors[at] = merge(connectors[at]);
  else connectors.push(merge(undefined));
  return next;
}

const applyAll = (held: Fields | undefined, requests: PushRequest[]) => requests.reduce<Fields | undefined>(applyAtReceiver, held);
const shape = (r: PushRequest) => ({ method: r.method, url: r.url, body: r.body });
const requestsFor = (acknowledged: Fields | undefined, current: Fields) => locationRequests(URL, acknowledged as OcpiFields | undefined, current as OcpiFields);

type Row = [string, Fields | undefined, Fields, { method: string; url: string; body: unknown }[]];

const current = {
  renamed: location({ name: 'Renamed' }, T1),
  withoutName: (() => {
    const { name: _name, ...rest } = location({}, T1);
    return rest;
  })(),
  newEvse: location({ evses: [evse('E1'), evse('E2'), evse('E3', {}, T1)] }, T1),
  charging: location({ evses: [atT1.evse('E1', { status: 'CHARGING' }), evse('E2')] }, T1),
  evseAttributes: location({ evses: [evse('E1'), atT1.evse('E2', { capabilities: ['RFID_READER', 'RESERVABLE'], floor_level: '-1' })] }, T1),
  evseFieldRemoved: (() => {
    const { physical_reference: _ref, ...e1 } = atT1.evse('E1');
    return location({ evses: [e1, evse('E2')] }, T1);
  })(),
  evseRemoved: location({ evses: [evse('E1'), atT1.evse('E2', { status: 'REMOVED' })] }, T1),
  connectorChanged: location({ evses: [atT1.evse('E1', {}, [connector('1'), connector('2', { max_amperage: 16, tariff_ids: ['T1'] }, T1)]), evse('E2')] }, T1),
  connectorAdded: location({ evses: [atT1.evse('E1', {}, [connector('1'), connector('2'), connector('3', { standard: 'CHADEMO' }, T1)]), evse('E2')] }, T1),
  connectorFieldRemoved: (() => {
    const { max_electric_power: _power, ...c2 } = connector('2', {}, T1);
    return location({ evses: [atT1.evse('E1', {}, [connector('1'), c2]), evse('E2')] }, T1);
  })(),
  connectorRemoved: location({ evses: [atT1.evse('E1', {}, [connector('1')]), evse('E2')] }, T1),
  everyLevel: location({ name: 'Both', evses: [atT1.evse('E1', { status: 'BLOCKED' }, [connector('1', { max_amperage: 20 }, T1), connector('2')]), evse('E2')] }, T1),
};
const c = current;
const evseOf = (loc: Fields, index: number) => (loc.evses as Fields[])[index]!;

const rows: Row[] = [
  ['the partner has not acknowledged the location: PUT of the full location', undefined, location(), [{ method: 'PUT', url: URL, body: location() }]],
  ['nothing changed: no request', location(), location(), []],
  ['a location attribute changed: PATCH of that field plus last_updated', location(), c.renamed, [{ method: 'PATCH', url: URL, body: { name: 'Renamed', last_updated: T1 } }]],
  ['a location field was removed: PUT of the full location', location(), c.withoutName, [{ method: 'PUT', url: URL, body: c.withoutName }]],
  ['a new EVSE: PUT of the EVSE at its URL', location(), c.newEvse, [{ method: 'PUT', url: `${URL}/E3`, body: evseOf(c.newEvse, 2) }]],
  ['an EVSE status changed: PATCH {status, last_updated} at the EVSE URL', location(), c.charging, [{ method: 'PATCH', url: `${URL}/E1`, body: { status: 'CHARGING', last_updated: T1 } }]],
  [
    'EVSE attributes changed: PATCH of those fields plus last_updated at the EVSE URL',
    location(),
    c.evseAttributes,
    [{ method: 'PATCH', url: `${URL}/E2`, body: { capabilities: ['RFID_READER', 'RESERVABLE'], floor_level: '-1', last_updated: T1 } }],
  ],
  ['an EVSE field was removed: PUT of the EVSE', location(), c.evseFieldRemoved, [{ method: 'PUT', url: `${URL}/E1`, body: evseOf(c.evseFieldRemoved, 0) }]],
  ['an EVSE was removed: PATCH {status: REMOVED, last_updated}', location(), c.evseRemoved, [{ method: 'PATCH', url: `${URL}/E2`, body: { status: 'REMOVED', last_updated: T1 } }]],
  [
    'a connector changed: PATCH of the changed fields plus last_updated at the connector URL',
    location(),
    c.connectorChanged,
    [{ method: 'PATCH', url: `${URL}/E1/2`, body: { max_amperage: 16, tariff_ids: ['T1'], last_updated: T1 } }],
  ],
  ['a connector was added: PUT of the connector at its URL', location(), c.connectorAdded, [{ method: 'PUT', url: `${URL}/E1/3`, body: evseOf(c.connectorAdded, 0).connectors[2] }]],
  [
    'a connector field was removed: PUT of the connector',
    location(),
    c.connectorFieldRemoved,
    [{ method: 'PUT', url: `${URL}/E1/2`, body: evseOf(c.connectorFieldRemoved, 0).connectors[1] }],
  ],
  ['a connector was removed: PUT of the whole EVSE', location(), c.connectorRemoved, [{ method: 'PUT', url: `${URL}/E1`, body: evseOf(c.connectorRemoved, 0) }]],
  [
    'one change at every level: one PATCH per level, parent first',
    location(),
    c.everyLevel,
    [
      { method: 'PATCH', url: URL, body: { name: 'Both', last_updated: T1 } },
      { method: 'PATCH', url: `${URL}/E1`, body: { status: 'BLOCKED', last_updated: T1 } },
      { method: 'PATCH', url: `${URL}/E1/1`, body: { max_amperage: 20, last_updated: T1 } },
    ],
  ],
];

describe('locationRequests', () => {
  it.each(rows)('when %s', (_label, acknowledged, now, expected) => {
    expect(requestsFor(acknowledged, now).map(shape)).toEqual(expected);
  });

  it.each(rows)('when %s, then a receiver applying the requests holds exactly our object', (_label, acknowledged, now) => {
    expect(applyAll(acknowledged === undefined ? undefined : structuredClone(acknowledged), requestsFor(acknowledged, now))).toEqual(now);
  });

  it('never sends a DELETE or a POST, whatever changed', () => {
    const methods = rows.flatMap(([, acknowledged, now]) => requestsFor(acknowledged, now).map((r) => r.method));
    expect(new Set(methods)).toEqual(new Set(['PUT', 'PATCH']));
  });

  it('when a PATCH is sent, then it carries last_updated and only fields whose value changed', () => {
    for (const [, acknowledged, now] of rows) {
      for (const request of requestsFor(acknowledged, now).filter((r) => r.method === 'PATCH')) {
        const body = request.body as Fields;
        expect(body.last_updated).toEqual(expect.any(String));
        expect(body).not.toHaveProperty('evses');
        expect(body).not.toHaveProperty('connectors');
      }
    }
  });

  it('names each request after the object it is about, for the logs', () => {
    expect(requestsFor(location(), c.everyLevel).map((r) => r.object)).toEqual(['location LOC1', 'location LOC1 EVSE E1', 'location LOC1 EVSE E1 connector 1']);
  });

  it('when ids hold characters that are special in URLs, then each path segment is percent-encoded', () => {
    const acknowledged = location({ evses: [evse('E 1/a?', { connectors: [connector('#1')] })] });
    const now = location({ evses: [atT1.evse('E 1/a?', { status: 'CHARGING' }, [connector('#1', { max_amperage: 10 }, T1)])] }, T1);
    expect(requestsFor(acknowledged, now).map((r) => r.url)).toEqual([`${URL}/E%201%2Fa%3F`, `${URL}/E%201%2Fa%3F/%231`]);
  });
});

/**
 * Convergent push coalesces changes made at different instants into one delivery. Each PATCH/PUT of a
 * child makes the receiver set the parents' last_updated to the child's (digest §3.1.2), so the order
 * and the last_updated of the requests decide what the partner ends up holding.
 */
describe('locationRequests for changes coalesced from different instants', () => {
  const cases: [string, Fields, Fields][] = [
    [
      'an EVSE status changed at T1 and the location name at T2',
      location(),
      location({ name: 'Later name', evses: [atT1.evse('E1', { status: 'CHARGING' }), evse('E2')] }, T2),
    ],
    [
      'EVSE E2 changed at T1 and EVSE E1 at T2',
      location(),
      location({ evses: [evse('E1', { status: 'CHARGING' }, T2), atT1.evse('E2', { status: 'BLOCKED' })] }, T2),
    ],
    [
      'a connector changed at T1 and its EVSE status at T2',
      location(),
      location({ evses: [evse('E1', { status: 'CHARGING', connectors: [connector('1', { max_amperage: 16 }, T1), connector('2')] }, T2), evse('E2')] }, T2),
    ],
    ['the location name changed at T1 and back at T2 (only last_updated differs)', location(), location({}, T2)],
  ];

  it.each(cases)('when %s, then the receiver ends with our last_updated at every level', (_label, acknowledged, now) => {
    expect(applyAll(structuredClone(acknowledged), requestsFor(acknowledged, now))).toEqual(now);
  });
});
