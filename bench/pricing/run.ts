/**
 * `npm run bench:pricing [-- --runs 5000 --warmup 1000 --no-doc]`: the time one priceSession call takes for a
 * 24-hour session of 96 fifteen-minute charging periods under a 10-element tariff that uses every kind of
 * restriction (and crosses local midnight, a weekday change and the Europe/Amsterdam DST change), measured call by
 * call after a warm-up, next to what issuing that CDR costs anyway: JSON.stringify of the CDR and its ajv
 * validation against the CDR schema. Prints a markdown table and updates the "## Pricing" section of
 * docs/benchmarks.md.
 */
import { cpus } from 'node:os';
import path from 'node:path';
import { Cdr } from '../../src/modules/cdrs/cdrs.schema';
import type { ChargingPeriod } from '../../src/modules/sessions/charging.schema';
import type { TariffElement } from '../../src/modules/tariffs/tariffs.schema';
import { compile } from '../../src/ocpi/ajv';
import { priceSession, type PricingInput } from '../../src/pricing';
import { fullCdrBody } from '../../test/helpers/cdr-factory';
import { updateDoc } from '../locations/report';

const DOC = path.join(__dirname, '../../docs/benchmarks.md');
const START = Date.parse('2027-03-27T12:00:00Z');
const QUARTER = 15 * 60_000;

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
}

const elements: TariffElement[] = [
  { price_components: [{ type: 'FLAT', price: 0.35, vat: 21, step_size: 1 }] },
  { price_components: [{ type: 'ENERGY', price: 0.69, vat: 21, step_size: 1 }], restrictions: { min_power: 50 } },
  { price_components: [{ type: 'ENERGY', price: 0.29, vat: 21, step_size: 1 }], restrictions: { start_time: '23:00', end_time: '07:00' } },
  { price_components: [{ type: 'ENERGY', price: 0.34, vat: 21, step_size: 1 }], restrictions: { day_of_week: ['SATURDAY', 'SUNDAY'], max_kwh: 60 } },
  { price_components: [{ type: 'ENERGY', price: 0.39, vat: 21, step_size: 1 }], restrictions: { max_power: 22, start_date: '2027-01-01', end_date: '2028-01-01' } },
  { price_components: [{ type: 'TIME', price: 1.2, vat: 21, step_size: 60 }], restrictions: { min_duration: 14_400, max_current: 32 } },
  { price_components: [{ type: 'PARKING_TIME', price: 0, vat: 21, step_size: 60 }], restrictions: { start_time: '20:00', end_time: '08:00' } },
  { price_components: [{ type: 'PARKING_TIME', price: 6, vat: 21, step_size: 300 }], restrictions: { min_duration: 7_200, day_of_week: ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY'] } },
  { price_components: [{ type: 'PARKING_TIME', price: 2, vat: 21, step_size: 300 }], restrictions: { min_kwh: 10 } },
  { price_components: [{ type: 'ENERGY', price: 0.45, vat: 21, step_size: 1 }, { type: 'TIME', price: 0, vat: 21, step_size: 60 }] },
];

/** Charging for the first 10 hours at an AC charger's 11 kW (with a fast-charging hour), parked after. */
const chargingPeriods: ChargingPeriod[] = Array.from({ length: 96 }, (_, i) => {
  const start_date_time = new Date(START + i * QUARTER).toISOString().replace('.000Z', 'Z');
  if (i >= 40) return { start_date_time, dimensions: [{ type: 'PARKING_TIME', volume: 0.25 }], tariff_id: 'BENCH' };
  const power = i >= 4 && i < 8 ? 60 : 11;
  return {
    start_date_time,
    tariff_id: 'BENCH',
    dimensions: [
      { type: 'ENERGY', volume: power / 4 }, { type: 'TIME', volume: 0.25 },
      { type: 'MAX_POWER', volume: power }, { type: 'MIN_POWER', volume: power - 1 }, { type: 'MAX_CURRENT', volume: power === 11 ? 16 : 150 },
    ],
  };
});

const input: PricingInput = {
  tariff: { currency: 'EUR', elements, min_price: { excl_vat: 1, incl_vat: 1.21 }, max_price: { excl_vat: 150, incl_vat: 181.5 } },
  startDateTime: new Date(START).toISOString(),
  endDateTime: new Date(START + 96 * QUARTER).toISOString(),
  chargingPeriods,
  timeZone: 'Europe/Amsterdam',
};

function timeEach(runs: number, work: () => unknown): number[] {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const began = process.hrtime.bigint();
    work();
    times.push(Number(process.hrtime.bigint() - began) / 1e6);
  }
  return times.sort((a, b) => a - b);
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
const ms = (value: number) => value.toFixed(3);

function main(): void {
  const runs = option('runs', 5000);
  const warmup = option('warmup', 1000);
  // The first call in a fresh process is what a node's first quote after start-up pays (no warm-up).
  const coldStart = process.hrtime.bigint();
  const priced = priceSession(input);
  const coldMs = Number(process.hrtime.bigint() - coldStart) / 1e6;
  const cdr = fullCdrBody('BENCH-CDR-1', {
    start_date_time: input.startDateTime.replace('.000Z', 'Z'),
    end_date_time: input.endDateTime!.replace('.000Z', 'Z'),
    tariffs: [{ country_code: 'NL', party_id: 'CPO', id: 'BENCH', currency: 'EUR', elements, last_updated: '2027-01-01T00:00:00Z' }],
    charging_periods: chargingPeriods,
    ...priced,
    last_updated: '2027-03-28T12:00:05Z',
  });
  const validate = compile(Cdr);
  if (!validate(cdr)) throw new Error(`the benchmark CDR is not valid: ${JSON.stringify(validate.errors)}`);
  const issueWork = () => {
    JSON.stringify(cdr);
    return validate(cdr);
  };

  timeEach(warmup, () => priceSession(input));
  timeEach(warmup, issueWork);
  const pricing = timeEach(runs, () => priceSession(input));
  const issuing = timeEach(runs, issueWork);

  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const table = [
    `Command: \`npm run bench:pricing\` (${runs} timed calls each after ${warmup} warm-up calls; Node ${process.version}, ${cpus().length} × ${cpu})`,
    '',
    'Input: a 24-hour session (2027-03-27 12:00 UTC → 03-28 12:00 UTC, Europe/Amsterdam: local midnight, Saturday → Sunday and the DST change), 96 charging periods of 15 minutes (10 hours charging, then parked), a tariff of 10 elements using every restriction kind but reservation.',
    '',
    '| Per call, ms | median | p99 | max |',
    '|---|---|---|---|',
    `| \`priceSession\` (one quote) | ${ms(quantile(pricing, 0.5))} | ${ms(quantile(pricing, 0.99))} | ${ms(pricing[pricing.length - 1]!)} |`,
    `| \`priceSession\`, the first call in the process (cold: no warm-up) | ${ms(coldMs)} | | |`,
    `| \`JSON.stringify\` + ajv validation of the same CDR (done anyway when issuing it) | ${ms(quantile(issuing, 0.5))} | ${ms(quantile(issuing, 0.99))} | ${ms(issuing[issuing.length - 1]!)} |`,
    '',
    `Priced: total_cost ${JSON.stringify(priced.total_cost)}, ${priced.total_energy} kWh, ${priced.total_time} h, parking ${priced.total_parking_time} h.`,
  ].join('\n');
  process.stdout.write(`${table}\n`);
  if (!process.argv.includes('--no-doc')) updateDoc(DOC, 'bench:pricing', table);
}

main();
