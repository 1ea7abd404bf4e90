import type { ConnectorNode, EvseNode, LocationNode } from '../modules/locations/location-tree';
import type { ChargingPeriod } from '../modules/sessions/charging.schema';

/** Pure helpers of the simulator (simulator-port.ts): what a charger at a connector does over time. */

const HOUR_MS = 3_600_000;

/** Statuses in which an EVSE is taken by someone (EVSE_OCCUPIED); any other status but AVAILABLE is EVSE_INOPERATIVE. */
const OCCUPIED = ['CHARGING', 'BLOCKED', 'RESERVED'];

/** The CommandResult a charger gives for starting or reserving at an EVSE in `status`; undefined when it can. */
export function evseRefusal(status: string): 'EVSE_OCCUPIED' | 'EVSE_INOPERATIVE' | undefined {
  if (status === 'AVAILABLE') return undefined;
  return OCCUPIED.includes(status) ? 'EVSE_OCCUPIED' : 'EVSE_INOPERATIVE';
}

const capabilitiesOf = (evse: EvseNode) => (evse.data.capabilities as string[] | undefined) ?? [];

/**
 * The EVSE a command that names none goes to: the first AVAILABLE one with `capability`. None available:
 * the refusal the best of them gives (occupied before inoperative), or EVSE_INOPERATIVE when none has it.
 */
export function pickEvse(location: LocationNode, capability: string): EvseNode | 'EVSE_OCCUPIED' | 'EVSE_INOPERATIVE' {
  const capable = location.evses.filter((e) => e.status !== 'REMOVED' && capabilitiesOf(e).includes(capability) && e.connectors.length > 0);
  const available = capable.find((e) => e.status === 'AVAILABLE');
  if (available) return available;
  return capable.some((e) => evseRefusal(e.status) === 'EVSE_OCCUPIED') ? 'EVSE_OCCUPIED' : 'EVSE_INOPERATIVE';
}

/** The power a connector charges at, in W: its max_electric_power, else voltage × amperage (× 3 phases for AC_3_PHASE). */
export function connectorPowerW(connector: ConnectorNode): number {
  const data = connector.data as { max_electric_power?: number; max_voltage?: number; max_amperage?: number; power_type?: string };
  if (data.max_electric_power !== undefined && data.max_electric_power > 0) return data.max_electric_power;
  const phases = data.power_type === 'AC_3_PHASE' ? 3 : 1;
  return (data.max_voltage ?? 0) * (data.max_amperage ?? 0) * phases;
}

/** kWh rounded to the Wh: no binary-float tails in what is pushed and priced. */
export const roundKwh = (kwh: number): number => Math.round(kwh * 1000) / 1000;

/**
 * The charging period from `from` to `to` (real instants) at `powerW`, `speed` simulated seconds per
 * real second: ENERGY (kWh) and TIME (hours) of the simulated span. Undefined for an empty span.
 */
export function chargingPeriod(from: Date, to: Date, powerW: number, speed: number): { period: ChargingPeriod; kwh: number } | undefined {
  const hours = ((to.getTime() - from.getTime()) * speed) / HOUR_MS;
  if (hours <= 0) return undefined;
  const kwh = roundKwh((powerW / 1000) * hours);
  const time = Math.round(hours * 1e6) / 1e6;
  return { period: { start_date_time: from.toISOString(), dimensions: [{ type: 'ENERGY', volume: kwh }, { type: 'TIME', volume: time }] }, kwh };
}
