import type { Tariff } from '../modules/tariffs/tariffs.schema';

/** The price the feed shows: the OCPI Tariff without its owner fields and energy mix. */
export type OpenDataTariff = Omit<Tariff, 'country_code' | 'party_id' | 'energy_mix'>;

const instant = (dateTime: string) => Date.parse(/z$/i.test(dateTime) ? dateTime : `${dateTime}Z`);

function inForce(tariff: Tariff, now: Date): boolean {
  const at = now.getTime();
  return (tariff.start_date_time === undefined || instant(tariff.start_date_time) <= at)
    && (tariff.end_date_time === undefined || at < instant(tariff.end_date_time));
}

/**
 * What a driver paying ad hoc (no contract, AFIR) pays at a connector: of the tariffs its `tariff_ids`
 * name and that are in force now, the one typed AD_HOC_PAYMENT, else one without a type (it applies to
 * every payment). REGULAR and PROFILE_* tariffs are contract prices: never shown as the ad-hoc price.
 */
export function adHocTariff(tariffIds: string[], lookup: (id: string) => Tariff | undefined, now: Date): Tariff | undefined {
  const named = tariffIds.map((id) => lookup(id.toUpperCase())).filter((t): t is Tariff => t !== undefined && inForce(t, now));
  return named.find((t) => t.type === 'AD_HOC_PAYMENT') ?? named.find((t) => t.type === undefined);
}

export function openDataTariff(tariff: Tariff): OpenDataTariff {
  const { country_code, party_id, energy_mix, ...shown } = tariff;
  return shown;
}
