/**
 * The sessions benchmark's data, as an operator's import sends it through the admin API: locations of 5 EVSEs of
 * 2 connectors (test/helpers/location-factory.ts), one ACTIVE session per connector (test/helpers/session-factory.ts)
 * whose cdr_token names one of the eMSPs (round robin), and the charging period each PATCH appends.
 */
import { evseBody, locationBody } from '../../test/helpers/location-factory';
import { cdrToken, chargingPeriod, sessionBody } from '../../test/helpers/session-factory';
import { tariffBody } from '../../test/helpers/tariff-factory';

/** Connectors per location: one session each. */
export const SESSIONS_PER_LOCATION = 10;
const EVSES_PER_LOCATION = SESSIONS_PER_LOCATION / 2;
/**
 * The start of every session, two hours before the run (whole minutes); period j starts j minutes later (simulated
 * time: unique per session and period). Sessions are as old as real ones: the running cost is priced up to now.
 */
const T0 = Math.floor(Date.now() / 60_000) * 60_000 - 2 * 3_600_000;
const KWH_PER_PERIOD = 0.5;

export const locationId = (i: number): string => `BS-L${String(i).padStart(5, '0')}`;
export const sessionId = (i: number): string => `BS-S${String(i).padStart(6, '0')}`;
/** The party id of eMSP `index` (bench/push/emsp-runner.ts names them E00, E01, …, country DE). */
export const emspParty = (index: number): string => `E${String(index).padStart(2, '0')}`;
export const periodStart = (j: number): number => T0 + j * 60_000;

/** The tariff every connector names, as an operator's would: so each session write also computes its running cost. */
export const BENCH_TARIFF_ID = 'BS-T1';
export const benchTariff = (): Record<string, unknown> => tariffBody(BENCH_TARIFF_ID, {
  type: 'REGULAR',
  elements: [{ price_components: [{ type: 'FLAT', price: 1, vat: 21, step_size: 1 }, { type: 'ENERGY', price: 0.39, vat: 21, step_size: 1 }, { type: 'TIME', price: 1.2, vat: 21, step_size: 60 }] }],
});

export function benchLocation(i: number): Record<string, unknown> {
  const id = locationId(i);
  const priced = (evse: ReturnType<typeof evseBody>) => ({ ...evse, connectors: evse.connectors.map((c) => ({ ...c, tariff_ids: [BENCH_TARIFF_ID] })) });
  return locationBody(id, { evses: Array.from({ length: EVSES_PER_LOCATION }, (_, e) => priced(evseBody(`${id}-E${e + 1}`))) });
}

/** Session `i` (0-based), owned by eMSP `i % emsps`, ACTIVE, with its first charging period. */
export function benchSession(i: number, emsps: number): Record<string, unknown> {
  const party = emspParty(i % emsps);
  const location = locationId(Math.floor(i / SESSIONS_PER_LOCATION));
  const slot = i % SESSIONS_PER_LOCATION;
  return sessionBody(sessionId(i), {
    start_date_time: new Date(T0).toISOString(),
    kwh: KWH_PER_PERIOD,
    cdr_token: cdrToken('DE', party, { uid: `${party}-RFID-${i}`, contract_id: `DE-${party}-C${String(i).padStart(8, '0')}-X` }),
    location_id: location,
    evse_uid: `${location}-E${Math.floor(slot / 2) + 1}`,
    connector_id: String((slot % 2) + 1),
    charging_periods: [chargingPeriod(new Date(periodStart(0)).toISOString(), KWH_PER_PERIOD)],
  });
}

/** The admin PATCH that appends period `j` (the session's j+1-th) and the energy so far. */
export function periodPatch(j: number): Record<string, unknown> {
  return { kwh: Number(((j + 1) * KWH_PER_PERIOD).toFixed(1)), charging_periods: [chargingPeriod(new Date(periodStart(j)).toISOString(), KWH_PER_PERIOD)] };
}
