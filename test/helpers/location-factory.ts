/** Valid admin bodies for locations, EVSEs and connectors; override what a test is about. */
export function connectorBody(id = '1', overrides: Record<string, unknown> = {}) {
  return { id, standard: 'IEC_62196_T2', format: 'SOCKET', power_type: 'AC_3_PHASE', max_voltage: 230, max_amperage: 32, ...overrides };
}

export function evseBody(uid: string, overrides: Record<string, unknown> = {}) {
  return {
    uid,
    evse_id: `NL*CPO*E${uid.replace(/[^A-Za-z0-9]/g, '')}`.slice(0, 48),
    status: 'AVAILABLE',
    capabilities: ['RFID_READER', 'REMOTE_START_STOP_CAPABLE'],
    connectors: [connectorBody('1'), connectorBody('2', { standard: 'IEC_62196_T2_COMBO', format: 'CABLE', power_type: 'DC', max_voltage: 920, max_amperage: 200, max_electric_power: 150000 })],
    ...overrides,
  };
}

export function locationBody(id: string, overrides: Record<string, unknown> = {}) {
  return {
    id,
    publish: true,
    name: `Station ${id}`,
    address: 'Stationsplein 1',
    city: 'Utrecht',
    postal_code: '3511 ED',
    country: 'NLD',
    coordinates: { latitude: '52.089444', longitude: '5.110278' },
    parking_type: 'ON_STREET',
    time_zone: 'Europe/Amsterdam',
    opening_times: { twentyfourseven: true },
    evses: [evseBody(`${id}-E1`), evseBody(`${id}-E2`)],
    ...overrides,
  };
}

/** An EVSE with every optional OCPI 2.2.1 field set (and connectors with every optional field). */
export function fullEvseBody(uid: string, overrides: Record<string, unknown> = {}) {
  return {
    uid,
    evse_id: `NL*CPO*E${uid.replace(/[^A-Za-z0-9]/g, '')}`.slice(0, 48),
    status: 'AVAILABLE',
    status_schedule: [
      { period_begin: '2027-01-04T06:00:00Z', period_end: '2027-01-04T18:00:00Z', status: 'INOPERATIVE' },
      { period_begin: '2027-02-01T00:00:00Z', status: 'OUTOFORDER' },
    ],
    capabilities: ['CHARGING_PROFILE_CAPABLE', 'CREDIT_CARD_PAYABLE', 'REMOTE_START_STOP_CAPABLE', 'RFID_READER', 'UNLOCK_CAPABLE'],
    connectors: [
      connectorBody('1', {
        max_electric_power: 22000,
        tariff_ids: ['AC-STANDARD', 'AC-NIGHT'],
        terms_and_conditions: 'https://cpo.example.com/terms/ac?lang=nl',
      }),
      connectorBody('2', {
        standard: 'IEC_60309_2_single_16',
        format: 'CABLE',
        power_type: 'AC_1_PHASE',
        max_voltage: 230,
        max_amperage: 16,
        max_electric_power: 3680,
        tariff_ids: ['AC-SLOW'],
        terms_and_conditions: 'https://cpo.example.com/terms/slow',
      }),
    ],
    floor_level: '-1',
    coordinates: { latitude: '52.0894440', longitude: '5.1102780' },
    physical_reference: 'Paal 7 links',
    directions: [
      { language: 'nl', text: 'Links van de ingang, naast de liften' },
      { language: 'en', text: 'Left of the entrance, next to the lifts' },
    ],
    parking_restrictions: ['EV_ONLY', 'CUSTOMERS', 'DISABLED'],
    images: [{ url: 'https://cpo.example.com/img/evse-7.jpg', thumbnail: 'https://cpo.example.com/img/evse-7-t.jpg', category: 'CHARGER', type: 'jpeg', width: 800, height: 600 }],
    ...overrides,
  };
}

function businessDetails(name: string, category: string) {
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  return {
    name,
    website: `https://${slug}.example.com/`,
    logo: { url: `https://${slug}.example.com/logo.png`, thumbnail: `https://${slug}.example.com/logo-128.png`, category, type: 'png', width: 512, height: 512 },
  };
}

/** A Location with every optional OCPI 2.2.1 field set, as the admin API takes it (owner fields included). */
export function fullLocationBody(id: string, overrides: Record<string, unknown> = {}) {
  return {
    country_code: 'NL',
    party_id: 'CPO',
    id,
    publish: false,
    publish_allowed_to: [
      { uid: '04A1B2C3D4E5F6', type: 'RFID' },
      { visual_number: 'NL-EXA-C12345678-X', issuer: 'Example Mobility' },
      { group_id: 'FLEET-0042' },
    ],
    name: 'Laadplein Café Ünïcode — Stationsplein',
    address: 'Stationsplein 12',
    city: "'s-Hertogenbosch",
    postal_code: '5211 AP',
    state: 'Noord-Brabant',
    country: 'NLD',
    coordinates: { latitude: '51.690556', longitude: '5.293611' },
    related_locations: [
      { latitude: '51.69061', longitude: '5.29350', name: { language: 'nl', text: 'Ingang parkeergarage' } },
      { latitude: '-33.868819', longitude: '151.2092955' },
    ],
    parking_type: 'UNDERGROUND_GARAGE',
    evses: [fullEvseBody(`${id}-E1`), fullEvseBody(`${id}-E2`, { status: 'CHARGING', floor_level: '-2' })],
    directions: [{ language: 'nl', text: 'Volg de borden "Laden" na de slagboom.' }],
    operator: businessDetails('Example Operator', 'OPERATOR'),
    suboperator: businessDetails('Example Sub Operator', 'OPERATOR'),
    owner: businessDetails('Gemeente Example', 'OWNER'),
    facilities: ['TRAIN_STATION', 'CAFE', 'WIFI', 'PARKING_LOT'],
    time_zone: 'Europe/Amsterdam',
    opening_times: {
      twentyfourseven: false,
      regular_hours: [
        { weekday: 1, period_begin: '07:00', period_end: '23:00' },
        { weekday: 6, period_begin: '09:30', period_end: '18:45' },
        { weekday: 7, period_begin: '00:00', period_end: '23:59' },
      ],
      exceptional_openings: [{ period_begin: '2026-12-31T22:00:00Z', period_end: '2027-01-01T02:00:00Z' }],
      exceptional_closings: [{ period_begin: '2026-12-25T00:00:00Z', period_end: '2026-12-26T00:00:00Z' }],
    },
    charging_when_closed: false,
    images: [
      { url: 'https://cpo.example.com/img/site.jpg', thumbnail: 'https://cpo.example.com/img/site-t.jpg', category: 'LOCATION', type: 'jpeg', width: 1600, height: 1200 },
      { url: 'https://cpo.example.com/img/entrance.png', category: 'ENTRANCE', type: 'png' },
    ],
    energy_mix: {
      is_green_energy: true,
      energy_sources: [{ source: 'SOLAR', percentage: 62.5 }, { source: 'WIND', percentage: 37.5 }],
      environ_impact: [{ category: 'CARBON_DIOXIDE', amount: 0 }, { category: 'NUCLEAR_WASTE', amount: 0.0001 }],
      supplier_name: 'Groene Stroom B.V.',
      energy_product_name: 'Wind & Zon 100%',
    },
    ...overrides,
  };
}
