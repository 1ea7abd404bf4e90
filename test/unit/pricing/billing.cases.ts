import { c, el, p, type PricingCase } from './fixtures';

/** step_size, min/max price, VAT, flat fees, currencies and the reading of periods; every total by hand in the comment. */

/** One period from 10:00 UTC (the session's start in these cases). */
const at10 = (dimensions: Record<string, number>) => [p('2027-03-01T10:00:00Z', dimensions)];

export const stepSizeCases: PricingCase[] = [
  {
    name: 'energy step 500 Wh: 4.3 kWh billed as 4.5',
    elements: [el([c('ENERGY', 0.2, 500)])],
    start: '2027-03-01T10:00:00Z', end: '2027-03-01T11:00:00Z', periods: at10({ ENERGY: 4.3 }),
    // 4.5 × 0.20 = 0.90
    expected: { total_cost: { excl_vat: 0.9 }, total_energy_cost: { excl_vat: 0.9 }, total_energy: 4.3 },
  },
  {
    name: 'energy step 1 Wh: 115.2 Wh billed as 116 Wh (spec PriceComponent note)',
    elements: [el([c('ENERGY', 0.25, 1)])],
    start: '2027-03-01T10:00:00Z', end: '2027-03-01T11:00:00Z', periods: at10({ ENERGY: 0.1152 }),
    // 0.116 × 0.25 = 0.029 → 0.03
    expected: { total_cost: { excl_vat: 0.03 }, total_energy_cost: { excl_vat: 0.03 } },
  },
  {
    name: 'energy step 500 Wh: 115.2 Wh billed as 500 Wh (spec PriceComponent note)',
    elements: [el([c('ENERGY', 0.25, 500)])],
    start: '2027-03-01T10:00:00Z', end: '2027-03-01T11:00:00Z', periods: at10({ ENERGY: 0.1152 }),
    // 0.5 × 0.25 = 0.125 → 0.13 (half up)
    expected: { total_cost: { excl_vat: 0.13 }, total_energy_cost: { excl_vat: 0.13 } },
  },
  {
    name: 'time step 15 min without parking: 20 min billed as 30',
    elements: [el([c('TIME', 2, 900)])],
    start: '2027-03-01T10:00:00Z', end: '2027-03-01T10:20:00Z', periods: at10({ ENERGY: 3, TIME: 1 / 3 }),
    // 0.5 h × 2.00 = 1.00
    expected: { total_cost: { excl_vat: 1 }, total_time_cost: { excl_vat: 1 } },
  },
  {
    name: 'time step applies when the parking that follows is not priced',
    elements: [el([c('TIME', 2, 900)])],
    start: '2027-03-01T10:00:00Z', end: '2027-03-01T10:30:00Z',
    periods: [p('2027-03-01T10:00:00Z', { ENERGY: 3, TIME: 1 / 3 }), p('2027-03-01T10:20:00Z', { PARKING_TIME: 1 / 6 })],
    // charging 20 → 30 min × 2.00/h = 1.00; parking is free but reported
    expected: { total_cost: { excl_vat: 1 }, total_time_cost: { excl_vat: 1 }, total_parking_time: 1 / 6, total_time: 0.5 },
  },
  {
    name: 'parking step uses the last priced parking component (free after 20:00), only priced parking is rounded',
    elements: [el([c('TIME', 0)]), el([c('PARKING_TIME', 1, 900)], { end_time: '20:00' })],
    start: '2027-03-01T19:00:00Z', end: '2027-03-01T20:10:00Z',
    periods: [p('2027-03-01T19:00:00Z', { ENERGY: 10, TIME: 50 / 60 }), p('2027-03-01T19:50:00Z', { PARKING_TIME: 1 / 3 })],
    // priced parking 19:50–20:00 = 10 → 15 min × 1.00/h = 0.25; charging at 0.00
    expected: { total_cost: { excl_vat: 0.25 }, total_time_cost: { excl_vat: 0 }, total_parking_cost: { excl_vat: 0.25 }, total_parking_time: 1 / 3 },
  },
  {
    name: 'step_size 0 does not round',
    elements: [el([c('TIME', 2, 0)])],
    start: '2027-03-01T10:00:00Z', end: '2027-03-01T10:20:00Z', periods: at10({ ENERGY: 3, TIME: 1 / 3 }),
    // 1/3 h × 2.00 = 0.6667 → 0.67
    expected: { total_cost: { excl_vat: 0.67 }, total_time_cost: { excl_vat: 0.67 } },
  },
  {
    name: 'hours with few decimals are read to the whole second before the step: 0.166667 h is 600 s',
    elements: [el([c('TIME', 6, 60)])],
    start: '2027-03-01T10:00:00Z', end: '2027-03-01T10:10:00Z', periods: at10({ ENERGY: 1, TIME: 0.166667 }),
    // 600 s is already a whole minute: 0.166667 × 6.00 = 1.000002 → 1.00 (not 11 minutes)
    expected: { total_cost: { excl_vat: 1 }, total_time_cost: { excl_vat: 1 } },
  },
  {
    name: 'TIME then PARKING_TIME then TIME again: only the parking total is rounded',
    elements: [el([c('TIME', 6, 600), c('PARKING_TIME', 6, 600)])],
    start: '2027-03-01T10:00:00Z', end: '2027-03-01T10:23:00Z',
    periods: [
      p('2027-03-01T10:00:00Z', { ENERGY: 1, TIME: 7 / 60 }),
      p('2027-03-01T10:07:00Z', { PARKING_TIME: 4 / 60 }),
      p('2027-03-01T10:11:00Z', { ENERGY: 1, TIME: 12 / 60 }),
    ],
    // charging 19 min × 0.10/min = 1.90 exact; parking 4 → 10 min × 0.10/min = 1.00 → 2.90
    expected: { total_cost: { excl_vat: 2.9 }, total_time_cost: { excl_vat: 1.9 }, total_parking_cost: { excl_vat: 1 } },
  },
  {
    name: 'energy step on the session total, not per period: 3 periods of 0.3 kWh with step 1 kWh',
    elements: [el([c('ENERGY', 1, 1000)])],
    start: '2027-03-01T10:00:00Z', end: '2027-03-01T10:30:00Z',
    periods: [p('2027-03-01T10:00:00Z', { ENERGY: 0.3 }), p('2027-03-01T10:10:00Z', { ENERGY: 0.3 }), p('2027-03-01T10:20:00Z', { ENERGY: 0.3 })],
    // 0.9 → 1 kWh × 1.00 = 1.00 (per period it would be 3.00)
    expected: { total_cost: { excl_vat: 1 }, total_energy_cost: { excl_vat: 1 }, total_energy: 0.9 },
  },
];

export const priceLimitCases: PricingCase[] = [
  {
    name: 'max_price excl. VAT only: the incl. VAT total is not capped',
    elements: [el([c('ENERGY', 0.25, 1, 10)])], max_price: { excl_vat: 10 },
    start: '2027-03-01T10:00:00Z', end: '2027-03-01T11:00:00Z', periods: at10({ ENERGY: 50 }),
    // 12.50 → 10.00; incl 13.75 stays
    expected: { total_cost: { excl_vat: 10, incl_vat: 13.75 }, total_energy_cost: { excl_vat: 12.5, incl_vat: 13.75 } },
  },
  {
    name: 'min_price applies to incl. VAT alone when only that side is below',
    elements: [el([c('ENERGY', 0.25, 1, 21)])], min_price: { excl_vat: 1, incl_vat: 1.3 },
    start: '2027-03-01T10:00:00Z', end: '2027-03-01T11:00:00Z', periods: at10({ ENERGY: 4.2 }),
    // 4.2 × 0.25 = 1.05 ≥ 1.00 stays; × 1.21 = 1.2705 < 1.30 → 1.30
    expected: { total_cost: { excl_vat: 1.05, incl_vat: 1.3 }, total_energy_cost: { excl_vat: 1.05, incl_vat: 1.27 } },
  },
  {
    name: 'min_price not reached on either side',
    elements: [el([c('ENERGY', 0.25, 1, 21)])], min_price: { excl_vat: 1, incl_vat: 1.3 },
    start: '2027-03-01T10:00:00Z', end: '2027-03-01T11:00:00Z', periods: at10({ ENERGY: 4.4 }),
    // 1.10; × 1.21 = 1.331 → 1.33
    expected: { total_cost: { excl_vat: 1.1, incl_vat: 1.33 }, total_energy_cost: { excl_vat: 1.1, incl_vat: 1.33 } },
  },
  {
    name: 'min_price on a session that cost nothing',
    elements: [el([c('ENERGY', 0.25, 1, 10)])], min_price: { excl_vat: 2, incl_vat: 2.2 },
    start: '2027-03-01T10:00:00Z', end: '2027-03-01T11:00:00Z', periods: at10({ ENERGY: 0 }),
    // no energy, nothing applied: 0 → 2.00 / 2.20
    expected: { total_cost: { excl_vat: 2, incl_vat: 2.2 }, total_parking_time: 1 },
  },
];

export const vatCases: PricingCase[] = [
  {
    name: 'VAT absent on one applied component: no incl_vat on the total',
    elements: [el([c('FLAT', 1), c('ENERGY', 0.3, 1, 21)])],
    start: '2027-03-01T10:00:00Z', end: '2027-03-01T11:00:00Z', periods: at10({ ENERGY: 10 }),
    // 1.00 + 3.00 = 4.00; energy 3.63 incl
    expected: { total_cost: { excl_vat: 4 }, total_fixed_cost: { excl_vat: 1 }, total_energy_cost: { excl_vat: 3, incl_vat: 3.63 } },
  },
  {
    name: 'VAT 0 is not absent: incl_vat equals excl_vat',
    elements: [el([c('ENERGY', 0.3, 1, 0)])],
    start: '2027-03-01T10:00:00Z', end: '2027-03-01T11:00:00Z', periods: at10({ ENERGY: 10 }),
    expected: { total_cost: { excl_vat: 3, incl_vat: 3 }, total_energy_cost: { excl_vat: 3, incl_vat: 3 } },
  },
  {
    name: 'different VAT per component, summed exactly before rounding',
    elements: [el([c('ENERGY', 0.333, 1, 21), c('TIME', 0.999, 1, 9)])],
    start: '2027-03-01T10:00:00Z', end: '2027-03-01T11:00:00Z', periods: at10({ ENERGY: 1.5, TIME: 1 }),
    // energy 0.4995 → 0.50, incl 0.604395 → 0.60; time 0.999 → 1.00, incl 1.08891 → 1.09
    // total 1.4985 → 1.50 (the fields 0.50 + 1.00 agree); incl 0.604395 + 1.08891 = 1.693305 → 1.69, each field rounded once
    expected: { total_cost: { excl_vat: 1.5, incl_vat: 1.69 }, total_energy_cost: { excl_vat: 0.5, incl_vat: 0.6 }, total_time_cost: { excl_vat: 1, incl_vat: 1.09 } },
  },
  {
    name: 'a component that is never applied does not remove incl_vat',
    elements: [el([c('ENERGY', 0.3, 1, 21), c('PARKING_TIME', 2)])],
    start: '2027-03-01T10:00:00Z', end: '2027-03-01T11:00:00Z', periods: at10({ ENERGY: 10, TIME: 1 }),
    // no parking happened: only energy applied, with VAT
    expected: { total_cost: { excl_vat: 3, incl_vat: 3.63 }, total_energy_cost: { excl_vat: 3, incl_vat: 3.63 } },
  },
];

export const flatFeeCases: PricingCase[] = [
  {
    name: 'two FLAT elements switching by duration (ocpi/ocpi#176 example A): one flat fee, the first',
    elements: [el([c('FLAT', 1)], { max_duration: 3600 }), el([c('FLAT', 3)], { min_duration: 3600 })],
    start: '2027-03-01T10:00:00Z', end: '2027-03-01T12:00:00Z', periods: at10({ ENERGY: 20, TIME: 2 }),
    // 1.00 once; the 3.00 element becoming active after an hour does not add a second fee
    expected: { total_cost: { excl_vat: 1 }, total_fixed_cost: { excl_vat: 1 } },
  },
  {
    name: 'a FLAT fee that only becomes active later in the session is charged once, when it does',
    elements: [el([c('FLAT', 2)], { start_time: '18:00' }), el([c('TIME', 1)])],
    start: '2027-03-01T17:00:00Z', end: '2027-03-01T19:00:00Z', periods: [p('2027-03-01T17:00:00Z', { ENERGY: 10, TIME: 2 })],
    // 2 h × 1.00 + 2.00 = 4.00
    expected: { total_cost: { excl_vat: 4 }, total_fixed_cost: { excl_vat: 2 }, total_time_cost: { excl_vat: 2 } },
  },
  {
    name: 'the flat fee is not charged again when the element holding it switches off and on',
    elements: [el([c('FLAT', 0.5), c('ENERGY', 0.1)], { start_time: '22:00', end_time: '06:00' }), el([c('FLAT', 0.75), c('ENERGY', 0.3)])],
    start: '2027-03-01T21:00:00Z', end: '2027-03-02T07:00:00Z', periods: [p('2027-03-01T21:00:00Z', { ENERGY: 10 })],
    // flat: 0.75 at 21:00 (the first active), once; energy 1 kWh × 0.30 + 8 × 0.10 + 1 × 0.30 = 1.40 → 2.15
    expected: { total_cost: { excl_vat: 2.15 }, total_fixed_cost: { excl_vat: 0.75 }, total_energy_cost: { excl_vat: 1.4 } },
  },
  {
    name: 'FLAT in its own element next to time-of-day energy prices',
    elements: [el([c('FLAT', 0.5, 1, 20)]), el([c('ENERGY', 0.1, 1, 20)], { start_time: '22:00', end_time: '06:00' }), el([c('ENERGY', 0.3, 1, 20)])],
    start: '2027-03-01T21:00:00Z', end: '2027-03-01T23:00:00Z',
    periods: [p('2027-03-01T21:00:00Z', { ENERGY: 5 }), p('2027-03-01T22:00:00Z', { ENERGY: 5 })],
    // 0.50 + 5 × 0.30 + 5 × 0.10 = 2.50; × 1.20 = 3.00
    expected: { total_cost: { excl_vat: 2.5, incl_vat: 3 }, total_fixed_cost: { excl_vat: 0.5, incl_vat: 0.6 }, total_energy_cost: { excl_vat: 2, incl_vat: 2.4 } },
  },
];

export const readingCases: PricingCase[] = [
  {
    name: 'periods without TIME/PARKING_TIME: charging while ENERGY > 0, parking otherwise',
    elements: [el([c('TIME', 2), c('PARKING_TIME', 4)])],
    start: '2027-03-01T10:00:00Z', end: '2027-03-01T11:30:00Z',
    periods: [p('2027-03-01T10:00:00Z', { ENERGY: 10 }), p('2027-03-01T11:00:00Z', { ENERGY: 0 })],
    // 1 h × 2.00 + 0.5 h × 4.00 = 4.00
    expected: { total_cost: { excl_vat: 4 }, total_time_cost: { excl_vat: 2 }, total_parking_cost: { excl_vat: 2 }, total_parking_time: 0.5, total_time: 1.5 },
  },
  {
    name: 'no end: the session ends where its last period starts',
    elements: [el([c('ENERGY', 0.3), c('TIME', 1)])],
    start: '2027-03-01T10:00:00Z',
    periods: [p('2027-03-01T10:00:00Z', { ENERGY: 5, TIME: 1 }), p('2027-03-01T11:00:00Z', { ENERGY: 2, TIME: 0.5 })],
    // volumes as given: 7 × 0.30 = 2.10 + 1.5 h × 1.00 = 1.50 → 3.60; total_time 1 h (start → last period start)
    expected: { total_cost: { excl_vat: 3.6 }, total_energy_cost: { excl_vat: 2.1 }, total_time_cost: { excl_vat: 1.5 }, total_time: 1, total_energy: 7 },
  },
  {
    name: 'no charging periods yet: only the flat fee',
    elements: [el([c('FLAT', 1.5, 1, 20), c('ENERGY', 0.3, 1, 20)])],
    start: '2027-03-01T10:00:00Z', end: '2027-03-01T10:05:00Z', periods: [],
    expected: { total_cost: { excl_vat: 1.5, incl_vat: 1.8 }, total_fixed_cost: { excl_vat: 1.5, incl_vat: 1.8 }, total_energy: 0, total_time: 1 / 12 },
  },
  {
    name: 'zero-decimal currency (JPY): rounded to whole yen',
    elements: [el([c('ENERGY', 35)])], currency: 'JPY',
    start: '2027-03-01T10:00:00Z', end: '2027-03-01T11:00:00Z', periods: at10({ ENERGY: 10.5 }),
    // 10.5 × 35 = 367.5 → 368
    expected: { total_cost: { excl_vat: 368 }, total_energy_cost: { excl_vat: 368 } },
  },
  {
    name: 'three-decimal currency (KWD)',
    elements: [el([c('ENERGY', 0.0755)])], currency: 'KWD',
    start: '2027-03-01T10:00:00Z', end: '2027-03-01T11:00:00Z', periods: at10({ ENERGY: 10.01 }),
    // 10.01 × 0.0755 = 0.755755 → 0.756
    expected: { total_cost: { excl_vat: 0.756 }, total_energy_cost: { excl_vat: 0.756 } },
  },
  {
    name: 'exact decimals, half up: 1.005 kWh at 1.00 is 1.01 (binary floating point gives 1.005.toFixed(2) = \'1.00\')',
    elements: [el([c('ENERGY', 1)])],
    start: '2027-03-01T10:00:00Z', end: '2027-03-01T11:00:00Z', periods: at10({ ENERGY: 1.005 }),
    expected: { total_cost: { excl_vat: 1.01 }, total_energy_cost: { excl_vat: 1.01 }, total_energy: 1.005 },
  },
  {
    name: 'an unrestricted element after restricted ones is the fallback per dimension',
    elements: [el([c('ENERGY', 0.5)], { day_of_week: ['SUNDAY'] }), el([c('TIME', 1)], { start_time: '12:00', end_time: '13:00' }), el([c('ENERGY', 0.2), c('TIME', 3)])],
    start: '2027-03-01T11:00:00Z', end: '2027-03-01T13:00:00Z', periods: [p('2027-03-01T11:00:00Z', { ENERGY: 10, TIME: 2 })],
    // Monday: energy 10 × 0.20 = 2.00; time 11–12 × 3.00 + 12–13 × 1.00 = 4.00 → 6.00
    expected: { total_cost: { excl_vat: 6 }, total_energy_cost: { excl_vat: 2 }, total_time_cost: { excl_vat: 4 } },
  },
  {
    name: 'no element for a dimension: that dimension is free and its cost field absent',
    elements: [el([c('ENERGY', 0.3)], { start_time: '00:00', end_time: '06:00' })],
    start: '2027-03-01T10:00:00Z', end: '2027-03-01T11:00:00Z', periods: at10({ ENERGY: 10, TIME: 1 }),
    expected: { total_cost: { excl_vat: 0, incl_vat: 0 }, total_energy: 10 },
  },
];
