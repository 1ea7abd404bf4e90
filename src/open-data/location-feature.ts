import type { Connector, Evse, Location } from '../modules/locations/locations.schema';
import type { Tariff } from '../modules/tariffs/tariffs.schema';
import { adHocTariff, openDataTariff, type OpenDataTariff } from './ad-hoc-tariff';
import { availabilityOf, type Availability } from './availability';

/** One connector as the feed shows it; `max_electric_power_kw` is null when neither power nor voltage and current are known. */
export interface FeatureConnector {
  id: string;
  standard: string;
  format: string;
  power_type: string;
  max_electric_power_kw: number | null;
  /** The ad-hoc tariff that applies at this connector (an id of the location's `tariffs`), or null. */
  tariff_id: string | null;
}

export interface ConnectorCount {
  standard: string;
  power_type: string;
  max_electric_power_kw: number | null;
  count: number;
}

export interface LocationFeature {
  type: 'Feature';
  id: string;
  geometry: { type: 'Point'; coordinates: [number, number] };
  properties: {
    id: string;
    name: string | null;
    address: string;
    city: string;
    postal_code: string | null;
    country: string;
    operator: string | null;
    time_zone: string;
    last_updated: string;
    availability: Availability;
    evses: { uid: string; evse_id: string | null; status: string; connectors: FeatureConnector[] }[];
    status_counts: Record<string, number>;
    connector_counts: ConnectorCount[];
    tariffs: OpenDataTariff[];
  };
}

/** Tariffs by upper-cased id (OCPI ids are case-insensitive). */
export type TariffLookup = (id: string) => Tariff | undefined;

const PHASES: Record<string, number> = { AC_1_PHASE: 1, AC_2_PHASE: 2, AC_2_PHASE_SPLIT: 2, AC_3_PHASE: 3, DC: 1 };

/** `max_electric_power` when given (W), else voltage × current × phases (OCPI's own estimate), in kW to 0.1. */
export function maxPowerKw(connector: Pick<Connector, 'max_electric_power' | 'max_voltage' | 'max_amperage' | 'power_type'>): number | null {
  const watts = connector.max_electric_power ?? connector.max_voltage * connector.max_amperage * (PHASES[connector.power_type] ?? 1);
  return Number.isFinite(watts) && watts > 0 ? Math.round(watts / 100) / 10 : null;
}

function connectorCounts(evses: Evse[]): ConnectorCount[] {
  const counts = new Map<string, ConnectorCount>();
  for (const connector of evses.flatMap((e) => e.connectors)) {
    const kw = maxPowerKw(connector);
    const key = `${connector.standard}|${connector.power_type}|${kw}`;
    const known = counts.get(key);
    if (known) known.count++;
    else counts.set(key, { standard: connector.standard, power_type: connector.power_type, max_electric_power_kw: kw, count: 1 });
  }
  return [...counts.values()];
}

function statusCounts(evses: Evse[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const evse of evses) counts[evse.status] = (counts[evse.status] ?? 0) + 1;
  return counts;
}

/** A published OCPI Location as an RFC 7946 Feature (REMOVED EVSEs left out); `now` decides which tariffs are in force. */
export function locationFeature(location: Location, tariffs: TariffLookup, now: Date): LocationFeature {
  const evses = (location.evses ?? []).filter((evse) => evse.status !== 'REMOVED');
  const shown = new Map<string, OpenDataTariff>();
  const featureEvses = evses.map((evse) => ({
    uid: evse.uid,
    evse_id: evse.evse_id ?? null,
    status: evse.status,
    connectors: evse.connectors.map((connector): FeatureConnector => {
      const tariff = adHocTariff(connector.tariff_ids ?? [], tariffs, now);
      if (tariff && !shown.has(tariff.id.toUpperCase())) shown.set(tariff.id.toUpperCase(), openDataTariff(tariff));
      const { id, standard, format, power_type } = connector;
      return { id, standard, format, power_type, max_electric_power_kw: maxPowerKw(connector), tariff_id: tariff?.id ?? null };
    }),
  }));
  return {
    type: 'Feature',
    id: location.id,
    geometry: { type: 'Point', coordinates: [Number(location.coordinates.longitude), Number(location.coordinates.latitude)] },
    properties: {
      id: location.id,
      name: location.name ?? null,
      address: location.address,
      city: location.city,
      postal_code: location.postal_code ?? null,
      country: location.country,
      operator: location.operator?.name ?? null,
      time_zone: location.time_zone,
      last_updated: location.last_updated,
      availability: availabilityOf(evses.map((e) => e.status)),
      evses: featureEvses,
      status_counts: statusCounts(evses),
      connector_counts: connectorCounts(evses),
      tariffs: [...shown.values()],
    },
  };
}
