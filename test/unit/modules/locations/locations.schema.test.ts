import type { TSchema } from '@sinclair/typebox';
import { compile } from '../../../../src/ocpi/ajv';
import { problemsWith } from '../../../../src/ocpi/validate';
import * as schemas from '../../../../src/modules/locations/locations.schema';
import {
  ConnectorPatch,
  ConnectorType,
  Evse,
  EvseInput,
  EvsePatch,
  Location,
  LocationInput,
  LocationPatch,
  locationRuleViolations,
  type Location as LocationObject,
} from '../../../../src/modules/locations/locations.schema';

/** A realistic Location (the spec's examples are known to be broken, digest §5.5: these are fixed). */
function validLocation(): LocationObject {
  return {
    country_code: 'NL',
    party_id: 'EXA',
    id: 'LOC-0001',
    publish: true,
    name: 'Stationsplein Garage',
    address: 'Stationsplein 12',
    city: 'Amsterdam',
    postal_code: '1012 AB',
    state: 'Noord-Holland',
    country: 'NLD',
    coordinates: { latitude: '52.378901', longitude: '4.900279' },
    related_locations: [
      { latitude: '52.379100', longitude: '4.900120', name: { language: 'nl', text: 'Ingang garage' } },
    ],
    parking_type: 'PARKING_GARAGE',
    evses: [
      {
        uid: 'EVSE-1',
        evse_id: 'NL*EXA*E0001*1',
        status: 'AVAILABLE',
        status_schedule: [{ period_begin: '2026-12-01T00:00:00Z', period_end: '2026-12-02T00:00:00Z', status: 'INOPERATIVE' }],
        capabilities: ['RFID_READER', 'REMOTE_START_STOP_CAPABLE', 'START_SESSION_CONNECTOR_REQUIRED'],
        connectors: [
          {
            id: '1',
            standard: 'IEC_62196_T2',
            format: 'SOCKET',
            power_type: 'AC_3_PHASE',
            max_voltage: 230,
            max_amperage: 32,
            max_electric_power: 22000,
            tariff_ids: ['TARIFF-AC'],
            terms_and_conditions: 'https://example.com/terms',
            last_updated: '2026-11-20T10:00:00Z',
          },
          {
            id: '2',
            standard: 'IEC_60309_2_single_16',
            format: 'SOCKET',
            power_type: 'AC_1_PHASE',
            max_voltage: 230,
            max_amperage: 16,
            last_updated: '2026-11-20T10:00:00.123Z',
          },
        ],
        floor_level: '-1',
        coordinates: { latitude: '52.3789012', longitude: '4.9002791' },
        physical_reference: '1',
        directions: [{ language: 'en', text: 'Level -1, bay 12' }],
        parking_restrictions: ['EV_ONLY', 'PLUGGED'],
        images: [{ url: 'https://example.com/evse1.jpg', category: 'CHARGER', type: 'jpeg', width: 800, height: 600 }],
        last_updated: '2026-11-20T10:00:00Z',
      },
      {
        uid: 'EVSE-2',
        status: 'CHARGING',
        connectors: [
          {
            id: '1',
            standard: 'IEC_62196_T2_COMBO',
            format: 'CABLE',
            power_type: 'DC',
            max_voltage: 920,
            max_amperage: 200,
            last_updated: '2026-11-20T10:05:00',
          },
        ],
        last_updated: '2026-11-20T10:05:00',
      },
    ],
    directions: [{ language: 'nl', text: 'Inrit via de Prins Hendrikkade' }],
    operator: { name: 'Example Charging B.V.', website: 'https://example.com', logo: {
      url: 'https://example.com/logo.png', thumbnail: 'https://example.com/logo-128.png', category: 'OPERATOR', type: 'png',
    } },
    owner: { name: 'Gemeente Amsterdam' },
    facilities: ['TRAIN_STATION', 'PARKING_LOT', 'CAFE'],
    time_zone: 'Europe/Amsterdam',
    opening_times: {
      twentyfourseven: false,
      regular_hours: [
        { weekday: 1, period_begin: '06:00', period_end: '23:30' },
        { weekday: 7, period_begin: '08:00', period_end: '22:00' },
      ],
      exceptional_openings: [{ period_begin: '2026-12-31T22:00:00Z', period_end: '2027-01-01T04:00:00Z' }],
      exceptional_closings: [{ period_begin: '2026-12-25T00:00:00Z', period_end: '2026-12-26T00:00:00Z' }],
    },
    charging_when_closed: false,
    images: [{ url: 'https://example.com/site.jpg', category: 'LOCATION', type: 'jpeg' }],
    energy_mix: {
      is_green_energy: true,
      energy_sources: [{ source: 'WIND', percentage: 60 }, { source: 'SOLAR', percentage: 40 }],
      environ_impact: [{ category: 'CARBON_DIOXIDE', amount: 0 }],
      supplier_name: 'Groene Stroom',
      energy_product_name: 'Wind & Zon',
    },
    last_updated: '2026-11-20T10:05:00Z',
  };
}

type Json = Record<string, any>;
const locationWith = (change: (location: Json) => void): Json => {
  const location = validLocation() as Json;
  change(location);
  return location;
};
const problemsAt = (schema: TSchema, value: unknown, path: string): string[] =>
  problemsWith(schema, value).filter((problem) => problem.startsWith(path));

describe('Location schemas', () => {
  it('when the module is compiled by the strict ajv instance, then every exported schema is accepted', () => {
    const exported = Object.entries(schemas).filter(([, value]) => typeof value === 'object');
    expect(exported.length).toBeGreaterThan(20);
    for (const [, schema] of exported) expect(() => compile(schema as TSchema)).not.toThrow();
  });

  it('when a complete realistic Location is given, then it passes Location and LocationInput and breaks no rule', () => {
    expect(problemsWith(Location, validLocation())).toEqual([]);
    expect(problemsWith(LocationInput, validLocation())).toEqual([]);
    expect(locationRuleViolations(validLocation())).toEqual([]);
  });

  it('when the operator leaves out last_updated and the owner, then LocationInput accepts it but Location does not', () => {
    const input = locationWith((l) => {
      delete l.last_updated;
      delete l.country_code;
      delete l.party_id;
      delete l.evses[0].last_updated;
      delete l.evses[0].connectors[0].last_updated;
    });
    expect(problemsWith(LocationInput, input)).toEqual([]);
    expect(problemsWith(Location, input)).toEqual(expect.arrayContaining([
      '/last_updated is required', '/country_code is required', '/party_id is required',
      '/evses/0/last_updated is required', '/evses/0/connectors/0/last_updated is required',
    ]));
  });

  it('when coordinates are JSON numbers, then the latitude and longitude are named', () => {
    const bad = locationWith((l) => { l.coordinates = { latitude: 52.378901, longitude: 4.900279 }; });
    expect(problemsAt(Location, bad, '/coordinates/latitude')).toContain('/coordinates/latitude must be string');
    expect(problemsAt(Location, bad, '/coordinates/longitude')).toContain('/coordinates/longitude must be string');
  });

  it('when a latitude has only 4 decimals, then it fails the pattern', () => {
    const bad = locationWith((l) => { l.evses[0].coordinates.latitude = '52.3789'; });
    expect(problemsAt(Location, bad, '/evses/0/coordinates/latitude')[0]).toMatch(/must match pattern/);
  });

  it('when a negative latitude has 7 decimals, then it exceeds string(10) although it matches the regex', () => {
    const bad = locationWith((l) => { l.coordinates.latitude = '-33.1234567'; });
    expect(problemsAt(Location, bad, '/coordinates/latitude')).toEqual(['/coordinates/latitude must NOT have more than 10 characters']);
    const ok = locationWith((l) => { l.coordinates = { latitude: '-33.123456', longitude: '-151.123456' }; });
    expect(problemsWith(Location, ok)).toEqual([]);
  });

  it('when an enum value is unknown, then the field is named', () => {
    const bad = locationWith((l) => { l.evses[0].status = 'OCCUPIED'; l.facilities.push('SPA'); });
    expect(problemsAt(Location, bad, '/evses/0/status').length).toBeGreaterThan(0);
    expect(problemsAt(Location, bad, '/facilities/3').length).toBeGreaterThan(0);
  });

  it('when a ConnectorType has the wrong case, then it is refused; the mixed-case spelling is accepted', () => {
    const bad = locationWith((l) => { l.evses[0].connectors[1].standard = 'IEC_60309_2_SINGLE_16'; });
    expect(problemsAt(Location, bad, '/evses/0/connectors/1/standard').length).toBeGreaterThan(0);
    expect(problemsWith(ConnectorType, 'IEC_60309_2_three_64')).toEqual([]);
  });

  it('when an EVSE has no connectors or an empty list, then connectors is named', () => {
    const missing = locationWith((l) => { delete l.evses[1].connectors; });
    expect(problemsWith(Location, missing)).toContain('/evses/1/connectors is required');
    const empty = locationWith((l) => { l.evses[1].connectors = []; });
    expect(problemsAt(Location, empty, '/evses/1/connectors')).toEqual(['/evses/1/connectors must NOT have fewer than 1 items']);
    expect(problemsAt(EvseInput, { ...validLocation().evses?.[1], connectors: [] }, '/connectors')).toHaveLength(1);
  });

  it('when the address has 255 characters it passes, and with 256 it is refused (erratum: 45 → 255)', () => {
    expect(problemsWith(Location, locationWith((l) => { l.address = 'a'.repeat(255); }))).toEqual([]);
    const bad = locationWith((l) => { l.address = 'a'.repeat(256); });
    expect(problemsWith(Location, bad)).toEqual(['/address must NOT have more than 255 characters']);
  });

  it('when the state has 46 characters, then it is refused (45 passes)', () => {
    expect(problemsWith(Location, locationWith((l) => { l.state = 's'.repeat(45); }))).toEqual([]);
    expect(problemsAt(Location, locationWith((l) => { l.state = 's'.repeat(46); }), '/state')).toHaveLength(1);
  });

  it('when country is the alpha-2 code NL, then it is refused (alpha-3 is required)', () => {
    expect(problemsAt(Location, locationWith((l) => { l.country = 'NL'; }), '/country')).toEqual(['/country must match pattern "^[A-Z]{3}$"']);
  });

  it('when LocationInput or a nested object carries an unknown field, then it is named as not allowed', () => {
    const bad = locationWith((l) => { l.adress = 'typo'; l.evses[0].floor = '1'; l.operator.logo.size = 1; });
    expect(problemsWith(LocationInput, bad)).toEqual(expect.arrayContaining([
      '/adress is not allowed', '/evses/0/floor is not allowed', '/operator/logo/size is not allowed',
    ]));
  });

  it('when last_updated uses a +00:00 offset, then it is refused', () => {
    const bad = locationWith((l) => { l.last_updated = '2026-11-20T10:05:00+00:00'; });
    expect(problemsAt(Location, bad, '/last_updated')).toHaveLength(1);
    expect(problemsAt(LocationInput, bad, '/last_updated')).toHaveLength(1);
  });

  it('when a regular hours entry has a bad time or weekday, then the field is named', () => {
    const bad = locationWith((l) => {
      l.opening_times.regular_hours[0] = { weekday: 8, period_begin: '24:00', period_end: '6:00' };
    });
    const paths = problemsWith(Location, bad).map((problem) => problem.split(' ')[0]);
    expect(paths).toEqual(expect.arrayContaining([
      '/opening_times/regular_hours/0/weekday', '/opening_times/regular_hours/0/period_begin', '/opening_times/regular_hours/0/period_end',
    ]));
  });

  it('when max values are negative or fractional, then they are refused', () => {
    const bad = locationWith((l) => { l.evses[0].connectors[0].max_voltage = -1; l.evses[0].connectors[0].max_amperage = 1.5; });
    expect(problemsAt(Location, bad, '/evses/0/connectors/0/max_voltage')).toHaveLength(1);
    expect(problemsAt(Location, bad, '/evses/0/connectors/0/max_amperage')).toHaveLength(1);
  });
});

describe('Location PATCH schemas', () => {
  it('when a LocationPatch is empty, then minProperties refuses it', () => {
    expect(problemsWith(LocationPatch, {})).toEqual(['/ must NOT have fewer than 1 properties']);
    expect(problemsWith(EvsePatch, {})).toHaveLength(1);
    expect(problemsWith(ConnectorPatch, {})).toHaveLength(1);
  });

  it('when an EvsePatch only sets a status, then it is accepted', () => {
    expect(problemsWith(EvsePatch, { status: 'CHARGING' })).toEqual([]);
  });

  it('when an EvsePatch or LocationPatch carries its children, then they are not allowed', () => {
    expect(problemsWith(EvsePatch, { status: 'CHARGING', connectors: [] })).toEqual(['/connectors is not allowed']);
    expect(problemsWith(LocationPatch, { name: 'x', evses: [] })).toEqual(['/evses is not allowed']);
  });

  it('when a patch field is invalid or unknown, then it is still checked', () => {
    expect(problemsWith(LocationPatch, { address: 'a'.repeat(256) })).toEqual(['/address must NOT have more than 255 characters']);
    expect(problemsWith(ConnectorPatch, { tariff_ids: ['T1'], colour: 'red' })).toEqual(['/colour is not allowed']);
    expect(problemsWith(LocationPatch, { opening_times: { twentyfourseven: true, extra: 1 } })).toEqual(['/opening_times/extra is not allowed']);
  });

  it('when an Evse has all required fields, then the served Evse schema accepts it', () => {
    expect(problemsWith(Evse, validLocation().evses?.[0])).toEqual([]);
  });
});

describe('locationRuleViolations', () => {
  it('when publish is true and publish_allowed_to has entries, then publish_allowed_to is named', () => {
    const location = { publish: true, publish_allowed_to: [{ group_id: 'G1' }] };
    expect(locationRuleViolations(location)).toEqual(['/publish_allowed_to is only allowed when publish is false']);
  });

  it('when publish is false with complete tokens, or publish is true with an empty list, then nothing is wrong', () => {
    const tokens = [{ uid: '012345678', type: 'RFID' }, { visual_number: 'NL-EXA-C12345678-X', issuer: 'Example eMSP' }, { group_id: 'G1' }];
    expect(locationRuleViolations({ publish: false, publish_allowed_to: tokens })).toEqual([]);
    expect(locationRuleViolations({ publish: true, publish_allowed_to: [] })).toEqual([]);
  });

  it('when a PublishTokenType breaks its rules, then each broken rule is named', () => {
    const tokens = [{ type: 'RFID' }, { uid: '0123' }, { visual_number: 'V1' }];
    expect(locationRuleViolations({ publish: false, publish_allowed_to: tokens })).toEqual([
      '/publish_allowed_to/0 needs at least one of uid, visual_number, group_id',
      '/publish_allowed_to/1/type is required when uid is set',
      '/publish_allowed_to/2/issuer is required when visual_number is set',
    ]);
  });

  it('when twentyfourseven disagrees with regular_hours, then regular_hours is named', () => {
    expect(locationRuleViolations({ opening_times: { twentyfourseven: false } })).toEqual([
      '/opening_times/regular_hours needs at least one entry when twentyfourseven is false',
    ]);
    expect(locationRuleViolations({ opening_times: { twentyfourseven: false, regular_hours: [] } })).toHaveLength(1);
    const always = { twentyfourseven: true, regular_hours: [{ weekday: 1, period_begin: '00:00', period_end: '23:59' }] };
    expect(locationRuleViolations({ opening_times: always })).toEqual([
      '/opening_times/regular_hours is only allowed when twentyfourseven is false',
    ]);
    expect(locationRuleViolations({ opening_times: { twentyfourseven: true, regular_hours: [] } })).toEqual([]);
  });

  it('when a regular period ends at or before its begin, then period_end is named', () => {
    const opening_times = {
      twentyfourseven: false,
      regular_hours: [
        { weekday: 1, period_begin: '08:00', period_end: '18:00' },
        { weekday: 5, period_begin: '22:00', period_end: '02:00' },
        { weekday: 6, period_begin: '09:00', period_end: '09:00' },
      ],
    };
    expect(locationRuleViolations({ publish: true, opening_times })).toEqual([
      '/opening_times/regular_hours/1/period_end must be later than period_begin',
      '/opening_times/regular_hours/2/period_end must be later than period_begin',
    ]);
  });
});
