import { c, el, p, type PricingCase } from './fixtures';

/**
 * The OCPI 2.2.1 tariff examples (mod_tariffs.asciidoc, mod_cdrs.asciidoc), their totals recomputed by hand.
 * Where the spec's own prose disagrees with its rules the rule wins and the comment says so.
 */

const startFee = c('FLAT', 0.5, 1, 20);
const energy025 = c('ENERGY', 0.25, 1, 10);
const twentyKwh = [p('2027-03-01T10:00:00Z', { ENERGY: 20, TIME: 2 })];

const complexTariff = [
  el([c('FLAT', 2.5, 1, 15)]),
  el([c('TIME', 1, 900, 20)], { max_current: 32 }),
  el([c('TIME', 2, 600, 20)], { min_current: 32, day_of_week: ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY'] }),
  el([c('TIME', 1.25, 600, 20)], { min_current: 32, day_of_week: ['SATURDAY', 'SUNDAY'] }),
  el([c('PARKING_TIME', 5, 300, 10)], { start_time: '09:00', end_time: '18:00', day_of_week: ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY'] }),
  el([c('PARKING_TIME', 6, 300, 10)], { start_time: '10:00', end_time: '17:00', day_of_week: ['SATURDAY'] }),
];

const stepTariff = [
  el([c('TIME', 1.2, 1800)], { end_time: '17:00' }),
  el([c('TIME', 2.4, 900)], { start_time: '17:00' }),
  el([c('PARKING_TIME', 1, 900)], { end_time: '20:00' }),
];

const reservation15 = [el([c('TIME', 5, 60, 20)], { reservation: 'RESERVATION' }), el([startFee, energy025])];
const reservation16 = [el([c('FLAT', 2, 1, 20), c('TIME', 5, 300, 20)], { reservation: 'RESERVATION' }), el([startFee, energy025])];
const reservation17 = [
  el([c('TIME', 2, 600, 20)], { reservation: 'RESERVATION' }),
  el([c('FLAT', 4, 1, 20)], { reservation: 'RESERVATION_EXPIRES' }),
  el([startFee, energy025]),
];
const reservation18 = [
  el([c('TIME', 3, 600, 20)], { reservation: 'RESERVATION' }),
  el([c('TIME', 6, 600, 20)], { reservation: 'RESERVATION_EXPIRES' }),
  el([startFee, energy025]),
];

export const specExampleCases: PricingCase[] = [
  {
    name: 'spec: simple 0.25/kWh, 10% VAT, 20 kWh',
    elements: [el([energy025])],
    start: '2027-03-01T10:00:00Z', end: '2027-03-01T12:00:00Z', periods: twentyKwh,
    // 20 × 0.25 = 5.00; × 1.10 = 5.50
    expected: { total_cost: { excl_vat: 5, incl_vat: 5.5 }, total_energy_cost: { excl_vat: 5, incl_vat: 5.5 }, total_energy: 20, total_time: 2 },
  },
  {
    name: 'spec: 0.25/kWh + start fee, 20 kWh',
    elements: [el([startFee, energy025])],
    start: '2027-03-01T10:00:00Z', end: '2027-03-01T12:00:00Z', periods: twentyKwh,
    // 0.50 + 5.00 = 5.50; 0.60 + 5.50 = 6.10
    expected: { total_cost: { excl_vat: 5.5, incl_vat: 6.1 }, total_fixed_cost: { excl_vat: 0.5, incl_vat: 0.6 }, total_energy_cost: { excl_vat: 5, incl_vat: 5.5 } },
  },
  {
    name: 'spec: 0.25/kWh + minimum price, 20 kWh (above the minimum)',
    elements: [el([energy025])], min_price: { excl_vat: 0.5, incl_vat: 0.55 },
    start: '2027-03-01T10:00:00Z', end: '2027-03-01T12:00:00Z', periods: twentyKwh,
    // 5.00 > 0.50, 5.50 > 0.55
    expected: { total_cost: { excl_vat: 5, incl_vat: 5.5 }, total_energy_cost: { excl_vat: 5, incl_vat: 5.5 } },
  },
  {
    name: 'spec: 0.25/kWh + minimum price, 1 kWh (the minimum applies)',
    elements: [el([energy025])], min_price: { excl_vat: 0.5, incl_vat: 0.55 },
    start: '2027-03-01T10:00:00Z', end: '2027-03-01T10:10:00Z', periods: [p('2027-03-01T10:00:00Z', { ENERGY: 1 })],
    // 1 × 0.25 = 0.25 < 0.50 → 0.50; 0.275 < 0.55 → 0.55; the energy cost itself stays 0.25 / 0.275 → 0.28 (half up)
    expected: { total_cost: { excl_vat: 0.5, incl_vat: 0.55 }, total_energy_cost: { excl_vat: 0.25, incl_vat: 0.28 } },
  },
  {
    name: 'spec: 0.25/kWh + parking fee + start fee, 20 kWh then 40 min parked',
    elements: [el([startFee, energy025]), el([c('PARKING_TIME', 2, 900, 20)])],
    start: '2027-03-01T10:00:00Z', end: '2027-03-01T12:40:00Z',
    periods: [p('2027-03-01T10:00:00Z', { ENERGY: 20, TIME: 2 }), p('2027-03-01T12:00:00Z', { PARKING_TIME: 0.666667 })],
    // 0.50 + 5.00 + 45 min (40 rounded up to 15-min steps) × 2.00/h = 1.50 → 7.00; 0.60 + 5.50 + 1.80 = 7.90
    expected: {
      total_cost: { excl_vat: 7, incl_vat: 7.9 }, total_fixed_cost: { excl_vat: 0.5, incl_vat: 0.6 }, total_energy_cost: { excl_vat: 5, incl_vat: 5.5 },
      total_parking_cost: { excl_vat: 1.5, incl_vat: 1.8 }, total_parking_time: 0.666667,
    },
  },
  {
    name: 'spec: start fee + max price, 50 kWh (capped)',
    elements: [el([startFee, energy025])], max_price: { excl_vat: 10, incl_vat: 11 },
    start: '2027-03-01T10:00:00Z', end: '2027-03-01T12:00:00Z', periods: [p('2027-03-01T10:00:00Z', { ENERGY: 50 })],
    // 0.50 + 12.50 = 13.00 → 10.00; 0.60 + 13.75 = 14.35 → 11.00
    expected: { total_cost: { excl_vat: 10, incl_vat: 11 }, total_fixed_cost: { excl_vat: 0.5, incl_vat: 0.6 }, total_energy_cost: { excl_vat: 12.5, incl_vat: 13.75 } },
  },
  {
    name: 'spec: start fee + max price, 30 kWh (below the cap)',
    elements: [el([startFee, energy025])], max_price: { excl_vat: 10, incl_vat: 11 },
    start: '2027-03-01T10:00:00Z', end: '2027-03-01T12:00:00Z', periods: [p('2027-03-01T10:00:00Z', { ENERGY: 30 })],
    // 0.50 + 7.50 = 8.00; 0.60 + 8.25 = 8.85
    expected: { total_cost: { excl_vat: 8, incl_vat: 8.85 }, total_fixed_cost: { excl_vat: 0.5, incl_vat: 0.6 }, total_energy_cost: { excl_vat: 7.5, incl_vat: 8.25 } },
  },
  {
    name: 'spec: simple 2 euro per hour, 2.5 hours',
    elements: [el([c('TIME', 2, 60, 10)])],
    start: '2027-03-01T10:00:00Z', end: '2027-03-01T12:30:00Z', periods: [p('2027-03-01T10:00:00Z', { ENERGY: 10, TIME: 2.5 })],
    // 2.5 h × 2.00 = 5.00; × 1.10 = 5.50
    expected: { total_cost: { excl_vat: 5, incl_vat: 5.5 }, total_time_cost: { excl_vat: 5, incl_vat: 5.5 }, total_time: 2.5 },
  },
  {
    name: 'spec: 3 euro per hour charging, 5 euro per hour parking, 150 + 42 min',
    elements: [el([c('TIME', 3, 60, 10), c('PARKING_TIME', 5, 300, 20)])],
    start: '2027-03-01T10:00:00Z', end: '2027-03-01T13:12:00Z',
    periods: [p('2027-03-01T10:00:00Z', { ENERGY: 30, TIME: 2.5 }), p('2027-03-01T12:30:00Z', { PARKING_TIME: 0.7 })],
    // 2.5 × 3.00 = 7.50 (not rounded: parking follows); 42 → 45 min × 5.00/h = 3.75 → 11.25; 8.25 + 4.50 = 12.75
    expected: {
      total_cost: { excl_vat: 11.25, incl_vat: 12.75 }, total_time_cost: { excl_vat: 7.5, incl_vat: 8.25 },
      total_parking_cost: { excl_vat: 3.75, incl_vat: 4.5 }, total_parking_time: 0.7, total_time: 3.2,
    },
  },
  {
    name: 'spec: ad-hoc 1.90 per hour, 5.2% VAT, 2.5 hours',
    elements: [el([c('TIME', 1.9, 300, 5.2)])],
    start: '2027-03-01T10:00:00Z', end: '2027-03-01T12:30:00Z', periods: [p('2027-03-01T10:00:00Z', { ENERGY: 10, TIME: 2.5 })],
    // 2.5 × 1.90 = 4.75; × 1.052 = 4.997 → 5.00
    expected: { total_cost: { excl_vat: 4.75, incl_vat: 5 }, total_time_cost: { excl_vat: 4.75, incl_vat: 5 } },
  },
  {
    name: 'spec: 0.25/kWh billed per 100 Wh, 20.45 kWh',
    elements: [el([c('ENERGY', 0.25, 100, 10)])],
    start: '2027-03-01T10:00:00Z', end: '2027-03-01T12:00:00Z', periods: [p('2027-03-01T10:00:00Z', { ENERGY: 20.45 })],
    // 20.45 → 20.5 kWh × 0.25 = 5.125 → 5.13; × 1.10 = 5.6375 → 5.64 (the prose says 5.50 / 6.05, which is not 20.5 × 0.25)
    expected: { total_cost: { excl_vat: 5.13, incl_vat: 5.64 }, total_energy_cost: { excl_vat: 5.13, incl_vat: 5.64 } },
  },
  {
    name: 'spec: complex tariff, Monday 09:30, 147 min at 16 A, 42 min parked',
    elements: complexTariff, timeZone: 'Europe/Berlin',
    start: '2027-03-01T08:30:00Z', end: '2027-03-01T11:39:00Z',
    periods: [
      p('2027-03-01T08:30:00Z', { ENERGY: 8, MAX_CURRENT: 16, TIME: 2.45 }),
      p('2027-03-01T10:57:00Z', { PARKING_TIME: 0.7 }),
    ],
    // 2.50 + 2.45 h × 1.00 (max_current 32; not rounded, parking follows) + 45 min × 5.00/h = 3.75 → 8.70
    // incl: 2.875 + 2.94 + 4.125 = 9.94 (the prose rounds the charging to 150 min too: 8.75 / 10.00)
    expected: {
      total_cost: { excl_vat: 8.7, incl_vat: 9.94 }, total_fixed_cost: { excl_vat: 2.5, incl_vat: 2.88 },
      total_time_cost: { excl_vat: 2.45, incl_vat: 2.94 }, total_parking_cost: { excl_vat: 3.75, incl_vat: 4.13 },
    },
  },
  {
    name: 'spec: complex tariff, Saturday 13:30, 114 min above 32 A, 71 min parked',
    elements: complexTariff, timeZone: 'Europe/Berlin',
    start: '2027-03-06T12:30:00Z', end: '2027-03-06T15:35:00Z',
    periods: [
      p('2027-03-06T12:30:00Z', { ENERGY: 40, MIN_CURRENT: 43, MAX_CURRENT: 48, TIME: 1.9 }),
      p('2027-03-06T14:24:00Z', { PARKING_TIME: 71 / 60 }),
    ],
    // 2.50 + 1.9 h × 1.25 (weekend, min_current 32) = 2.375 + 75 min (71 → 5-min steps) × 6.00/h = 7.50 → 12.375 → 12.38
    // incl: 2.875 + 2.85 + 8.25 = 13.975 → 13.98 (the prose rounds the charging up too: 12.50)
    expected: {
      total_cost: { excl_vat: 12.38, incl_vat: 13.98 }, total_fixed_cost: { excl_vat: 2.5, incl_vat: 2.88 },
      total_time_cost: { excl_vat: 2.38, incl_vat: 2.85 }, total_parking_cost: { excl_vat: 7.5, incl_vat: 8.25 },
    },
  },
  {
    name: 'spec: free of charge tariff',
    elements: [el([c('FLAT', 0, 0)])],
    start: '2027-03-01T10:00:00Z', end: '2027-03-01T11:00:00Z', periods: [p('2027-03-01T10:00:00Z', { ENERGY: 7, TIME: 1 })],
    // one flat fee of 0.00 without VAT: no incl_vat
    expected: { total_cost: { excl_vat: 0 }, total_fixed_cost: { excl_vat: 0 }, total_energy: 7, total_time: 1 },
  },
  {
    name: 'spec: first kWh free, parking by session duration (charging 30 min, parked 2.75 h)',
    elements: [
      el([c('PARKING_TIME', 0, 60)], { min_duration: 0, max_duration: 3600 }),
      el([c('PARKING_TIME', 2, 60)], { min_duration: 3600, max_duration: 10800 }),
      el([c('PARKING_TIME', 3, 60)], { min_duration: 10800 }),
      el([c('ENERGY', 0, 1)], { max_kwh: 1 }),
      el([c('ENERGY', 0.2, 1)], { min_kwh: 1 }),
    ],
    start: '2027-03-01T10:00:00Z', end: '2027-03-01T13:15:00Z',
    periods: [p('2027-03-01T10:00:00Z', { ENERGY: 20, TIME: 0.5 }), p('2027-03-01T10:30:00Z', { PARKING_TIME: 2.75 })],
    // energy: 1 kWh free + 19 × 0.20 = 3.80; parking, durations from the session start: 0.5 h free, 2 h × 2 = 4.00,
    // 0.25 h × 3 = 0.75 → 4.75; total 8.55 (the prose's 7.30 counts the free hour from when parking starts)
    expected: { total_cost: { excl_vat: 8.55 }, total_energy_cost: { excl_vat: 3.8 }, total_parking_cost: { excl_vat: 4.75 }, total_parking_time: 2.75 },
  },
  {
    name: 'spec: reservation 5.00/h, session 15 min after it, 20 kWh',
    elements: reservation15,
    start: '2027-03-01T09:45:00Z', end: '2027-03-01T12:00:00Z',
    periods: [p('2027-03-01T09:45:00Z', { RESERVATION_TIME: 0.25 }), p('2027-03-01T10:00:00Z', { ENERGY: 20, TIME: 2 })],
    // 0.25 h × 5.00 = 1.25 + 0.50 + 5.00 = 6.75; 1.50 + 0.60 + 5.50 = 7.60
    expected: {
      total_cost: { excl_vat: 6.75, incl_vat: 7.6 }, total_reservation_cost: { excl_vat: 1.25, incl_vat: 1.5 },
      total_fixed_cost: { excl_vat: 0.5, incl_vat: 0.6 }, total_energy_cost: { excl_vat: 5, incl_vat: 5.5 }, total_time: 2,
    },
  },
  {
    name: 'spec: reservation fee 2.00 + 5.00/h per 5 min, session 13 min after it',
    elements: reservation16,
    start: '2027-03-01T09:47:00Z', end: '2027-03-01T12:00:00Z',
    periods: [p('2027-03-01T09:47:00Z', { RESERVATION_TIME: 13 / 60 }), p('2027-03-01T10:00:00Z', { ENERGY: 20, TIME: 2 })],
    // 2.00 + 15 min × 5.00/h = 1.25 → 3.25, + 0.50 + 5.00 = 8.75; 3.90 + 0.60 + 5.50 = 10.00 (two flat fees: the reservation's and the session's)
    expected: {
      total_cost: { excl_vat: 8.75, incl_vat: 10 }, total_reservation_cost: { excl_vat: 3.25, incl_vat: 3.9 },
      total_fixed_cost: { excl_vat: 0.5, incl_vat: 0.6 }, total_energy_cost: { excl_vat: 5, incl_vat: 5.5 },
    },
  },
  {
    name: 'spec: reservation 2.00/h per 10 min with expiry fee, used after 22 min',
    elements: reservation17,
    start: '2027-03-01T09:38:00Z', end: '2027-03-01T12:00:00Z',
    periods: [p('2027-03-01T09:38:00Z', { RESERVATION_TIME: 22 / 60 }), p('2027-03-01T10:00:00Z', { ENERGY: 20, TIME: 2 })],
    // 30 min × 2.00/h = 1.00 (no expiry fee) + 0.50 + 5.00 = 6.50; 1.20 + 0.60 + 5.50 = 7.30
    expected: {
      total_cost: { excl_vat: 6.5, incl_vat: 7.3 }, total_reservation_cost: { excl_vat: 1, incl_vat: 1.2 },
      total_fixed_cost: { excl_vat: 0.5, incl_vat: 0.6 }, total_energy_cost: { excl_vat: 5, incl_vat: 5.5 },
    },
  },
  {
    name: 'spec: reservation with expiry fee, expired after 1 hour',
    elements: reservation17,
    start: '2027-03-01T09:00:00Z', end: '2027-03-01T10:00:00Z',
    periods: [p('2027-03-01T09:00:00Z', { RESERVATION_TIME: 1 })],
    // 4.00 expiry fee + 1 h × 2.00 = 6.00; × 1.20 = 7.20; no session: no start fee, total_time 0
    expected: { total_cost: { excl_vat: 6, incl_vat: 7.2 }, total_reservation_cost: { excl_vat: 6, incl_vat: 7.2 }, total_energy: 0, total_time: 0 },
  },
  {
    name: 'spec: reservation 3.00/h, 6.00/h when expired; used after 22 min',
    elements: reservation18,
    start: '2027-03-01T09:38:00Z', end: '2027-03-01T12:00:00Z',
    periods: [p('2027-03-01T09:38:00Z', { RESERVATION_TIME: 22 / 60 }), p('2027-03-01T10:00:00Z', { ENERGY: 20, TIME: 2 })],
    // 30 min × 3.00/h = 1.50 + 0.50 + 5.00 = 7.00; 1.80 + 0.60 + 5.50 = 7.90
    expected: {
      total_cost: { excl_vat: 7, incl_vat: 7.9 }, total_reservation_cost: { excl_vat: 1.5, incl_vat: 1.8 },
      total_fixed_cost: { excl_vat: 0.5, incl_vat: 0.6 }, total_energy_cost: { excl_vat: 5, incl_vat: 5.5 },
    },
  },
  {
    name: 'spec: reservation 3.00/h, 6.00/h when expired; expired after 1.5 hours',
    elements: reservation18,
    start: '2027-03-01T09:00:00Z', end: '2027-03-01T10:30:00Z',
    periods: [p('2027-03-01T09:00:00Z', { RESERVATION_TIME: 1.5 })],
    // 1.5 h × 6.00 = 9.00; × 1.20 = 10.80
    expected: { total_cost: { excl_vat: 9, incl_vat: 10.8 }, total_reservation_cost: { excl_vat: 9, incl_vat: 10.8 } },
  },
  {
    name: 'spec: max_power restrictions, 1 kWh at 6 kW, 40 kWh at 48 kW, 0.5 kWh at 4 kW',
    elements: [el([c('ENERGY', 0.2)], { max_power: 16 }), el([c('ENERGY', 0.35)], { max_power: 32 }), el([c('ENERGY', 0.5)])],
    start: '2027-03-01T10:00:00Z', end: '2027-03-01T11:15:00Z',
    periods: [
      p('2027-03-01T10:00:00Z', { ENERGY: 1, MAX_POWER: 6, TIME: 1 / 6 }),
      p('2027-03-01T10:10:00Z', { ENERGY: 40, MAX_POWER: 48, TIME: 5 / 6 }),
      p('2027-03-01T11:00:00Z', { ENERGY: 0.5, MAX_POWER: 4, TIME: 0.25 }),
    ],
    // 1 × 0.20 + 40 × 0.50 + 0.5 × 0.20 = 20.30
    expected: { total_cost: { excl_vat: 20.3 }, total_energy_cost: { excl_vat: 20.3 }, total_energy: 41.5 },
  },
  {
    name: 'spec: max_duration restrictions, 40 min: 5 kWh in the first 30, 1.2 kWh after',
    elements: [el([c('ENERGY', 0, 1, 20)], { max_duration: 1800 }), el([c('ENERGY', 0.25, 1, 20)], { max_duration: 3600 }), el([c('ENERGY', 0.4, 1, 20)])],
    start: '2027-03-01T10:00:00Z', end: '2027-03-01T10:40:00Z',
    periods: [p('2027-03-01T10:00:00Z', { ENERGY: 5, TIME: 0.5 }), p('2027-03-01T10:30:00Z', { ENERGY: 1.2, TIME: 1 / 6 })],
    // 5 × 0.00 + 1.2 × 0.25 = 0.30; × 1.20 = 0.36
    expected: { total_cost: { excl_vat: 0.3, incl_vat: 0.36 }, total_energy_cost: { excl_vat: 0.3, incl_vat: 0.36 } },
  },
  {
    name: 'spec: step_size switching elements #2, 16:35 charging 35 min',
    elements: stepTariff,
    start: '2027-03-01T16:35:00Z', end: '2027-03-01T17:10:00Z',
    periods: [p('2027-03-01T16:35:00Z', { ENERGY: 5, TIME: 35 / 60 })],
    // 25 min × 1.20/h = 0.50; 35 → 45 min total (last step 900 s), so 20 min × 2.40/h = 0.80 → 1.30
    expected: { total_cost: { excl_vat: 1.3 }, total_time_cost: { excl_vat: 1.3 } },
  },
  {
    name: 'spec: step_size switching elements #1, 16:55 charging 10 min, parked 2 min',
    elements: stepTariff,
    start: '2027-03-01T16:55:00Z', end: '2027-03-01T17:07:00Z',
    periods: [p('2027-03-01T16:55:00Z', { ENERGY: 2, TIME: 1 / 6 }), p('2027-03-01T17:05:00Z', { PARKING_TIME: 2 / 60 })],
    // TIME then priced PARKING_TIME: charging exact, 5 min × 1.20 = 0.10 + 5 min × 2.40 = 0.20; parking 2 → 15 min × 1.00 = 0.25
    // → 0.55 (the prose rounds the charging instead and leaves parking unbilled: 0.50)
    expected: { total_cost: { excl_vat: 0.55 }, total_time_cost: { excl_vat: 0.3 }, total_parking_cost: { excl_vat: 0.25 } },
  },
  {
    name: 'spec: step_size switching to free parking after 20:00, 19:55 charging 10 min, parked 2 min',
    elements: stepTariff,
    start: '2027-03-01T19:55:00Z', end: '2027-03-01T20:07:00Z',
    periods: [p('2027-03-01T19:55:00Z', { ENERGY: 2, TIME: 1 / 6 }), p('2027-03-01T20:05:00Z', { PARKING_TIME: 2 / 60 })],
    // parking after 20:00 is free, so the charging is rounded: 10 → 15 min × 2.40/h = 0.60
    expected: { total_cost: { excl_vat: 0.6 }, total_time_cost: { excl_vat: 0.6 }, total_parking_time: 2 / 60 },
  },
  {
    name: 'spec (CDRs): energy step 500 Wh across a 17:00 price change, 4.3 + 1.1 kWh',
    elements: [el([c('ENERGY', 0.2, 500)], { end_time: '17:00' }), el([c('ENERGY', 0.27, 500)], { start_time: '17:00' })],
    start: '2027-03-01T16:00:00Z', end: '2027-03-01T17:30:00Z',
    periods: [p('2027-03-01T16:00:00Z', { ENERGY: 4.3 }), p('2027-03-01T17:00:00Z', { ENERGY: 1.1 })],
    // 5.4 → 5.5 kWh; 4.3 × 0.20 = 0.86 + 1.2 × 0.27 = 0.324 → 1.184 → 1.18
    expected: { total_cost: { excl_vat: 1.18 }, total_energy_cost: { excl_vat: 1.18 } },
  },
  {
    name: 'spec (CDRs): time step 10 min across a 17:00 price change, 6 + 22 min',
    elements: [el([c('TIME', 5, 600)], { end_time: '17:00' }), el([c('TIME', 7, 600)], { start_time: '17:00' })],
    start: '2027-03-01T16:54:00Z', end: '2027-03-01T17:22:00Z',
    periods: [p('2027-03-01T16:54:00Z', { ENERGY: 3, TIME: 28 / 60 })],
    // 28 → 30 min: 6 min × 5.00/h = 0.50 + 24 min × 7.00/h = 2.80 → 3.30
    expected: { total_cost: { excl_vat: 3.3 }, total_time_cost: { excl_vat: 3.3 } },
  },
  {
    name: 'spec (CDRs): charging 21 min then parked 16 min, both per 10 min',
    elements: [el([c('TIME', 1, 600), c('PARKING_TIME', 2, 600)])],
    start: '2027-03-01T10:00:00Z', end: '2027-03-01T10:37:00Z',
    periods: [p('2027-03-01T10:00:00Z', { ENERGY: 3, TIME: 0.35 }), p('2027-03-01T10:21:00Z', { PARKING_TIME: 16 / 60 })],
    // charging exact: 0.35 h × 1.00 = 0.35; parking 16 → 20 min × 2.00/h = 0.6667 → 0.67; total 1.0167 → 1.02
    expected: { total_cost: { excl_vat: 1.02 }, total_time_cost: { excl_vat: 0.35 }, total_parking_cost: { excl_vat: 0.67 } },
  },
];
