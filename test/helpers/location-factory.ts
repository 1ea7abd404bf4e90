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
