import { fullTariffBody } from '../../test/helpers/tariff-factory';

/** Tariff ids: BENCH-T-0000001 .. ; pk i holds tariff i on a fresh database. */
export const tariffId = (i: number): string => `BENCH-T-${String(i).padStart(7, '0')}`;

/** A price that varies with i (cents), deterministic. */
const price = (base: number, i: number, spread = 17): number => Number((base + (i % spread) / 100).toFixed(2));

const altTexts = (i: number, en: string, nl: string) => [
  { language: 'en', text: `${en} (${tariffId(i)})` },
  { language: 'nl', text: `${nl} (${tariffId(i)})` },
];

/** Ad hoc: one energy price, and a time price after an hour; alt texts. */
function adHoc(i: number): Record<string, unknown> {
  return {
    id: tariffId(i),
    currency: 'EUR',
    type: 'AD_HOC_PAYMENT',
    tariff_alt_text: altTexts(i, `EUR ${price(0.49, i)} per kWh`, `EUR ${price(0.49, i)} per kWh`),
    elements: [
      { price_components: [{ type: 'ENERGY', price: price(0.49, i), vat: 21, step_size: 1 }] },
      { price_components: [{ type: 'TIME', price: price(1.2, i, 40), vat: 21, step_size: 60 }], restrictions: { min_duration: 3600 } },
    ],
  };
}

/** Regular, by time of day: day and night energy prices, weekend prices, parking after three hours. */
function timeOfDay(i: number): Record<string, unknown> {
  const weekdays = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY'];
  return {
    id: tariffId(i),
    currency: 'EUR',
    type: 'REGULAR',
    tariff_alt_text: altTexts(i, 'Day 07:00-22:00, night 22:00-07:00, weekends at the night price', 'Dag 07:00-22:00, nacht 22:00-07:00, weekend tegen nachttarief'),
    tariff_alt_url: `https://cpo.example.com/tariffs/${tariffId(i).toLowerCase()}`,
    elements: [
      { price_components: [{ type: 'ENERGY', price: price(0.45, i), vat: 21, step_size: 1 }], restrictions: { start_time: '07:00', end_time: '22:00', day_of_week: weekdays } },
      { price_components: [{ type: 'ENERGY', price: price(0.32, i), vat: 21, step_size: 1 }], restrictions: { start_time: '22:00', end_time: '07:00', day_of_week: weekdays } },
      { price_components: [{ type: 'ENERGY', price: price(0.32, i), vat: 21, step_size: 1 }], restrictions: { day_of_week: ['SATURDAY', 'SUNDAY'] } },
      { price_components: [{ type: 'PARKING_TIME', price: price(2, i, 50), vat: 21, step_size: 300 }], restrictions: { min_duration: 10800 } },
    ],
    start_date_time: `2027-0${1 + (i % 9)}-01T00:00:00Z`,
  };
}

/** Fast charging: a start fee, an energy price by power band, a time price after 45 minutes, bounded total. */
function fast(i: number): Record<string, unknown> {
  return {
    id: tariffId(i),
    currency: 'EUR',
    type: 'PROFILE_FAST',
    tariff_alt_text: altTexts(i, 'Start fee, then per kWh; above 50 kW a higher price', 'Starttarief, daarna per kWh; boven 50 kW een hogere prijs'),
    min_price: { excl_vat: price(1, i), incl_vat: price(1.21, i) },
    max_price: { excl_vat: price(60, i, 90), incl_vat: price(72.6, i, 90) },
    elements: [
      { price_components: [{ type: 'FLAT', price: price(0.99, i), vat: 21, step_size: 1 }] },
      { price_components: [{ type: 'ENERGY', price: price(0.59, i), vat: 21, step_size: 1 }], restrictions: { max_power: 50 } },
      { price_components: [{ type: 'ENERGY', price: price(0.69, i), vat: 21, step_size: 1 }], restrictions: { min_power: 50 } },
      { price_components: [{ type: 'TIME', price: price(0.3, i), vat: 21, step_size: 60 }], restrictions: { min_duration: 2700 } },
    ],
  };
}

/** Every optional field (test/helpers/tariff-factory.ts's fullTariffBody), prices varying. */
function full(i: number): Record<string, unknown> {
  return fullTariffBody(tariffId(i), {
    min_price: { excl_vat: price(0.5, i), incl_vat: price(0.61, i) },
    tariff_alt_url: `https://cpo.example.com/tariffs/${tariffId(i).toLowerCase()}?lang=en`,
  });
}

const KINDS = [adHoc, timeOfDay, fast, full];

/**
 * Tariff i as the operator's import sends it to the admin API (fields in the spec's order): four kinds in turn,
 * from one energy price to every optional field, most with restrictions (time of day, day of week, power,
 * duration), several elements and alt texts; prices varying with i.
 */
export function benchTariff(i: number): Record<string, unknown> {
  return KINDS[i % KINDS.length]!(i);
}
