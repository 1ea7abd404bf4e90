import { c, el, p, type PricingCase } from './fixtures';

/** Cases for each rule of the README section "Pricing"; every total by hand in the comment. Europe/Amsterdam is UTC+1 in winter, UTC+2 in summer. */

const AMS = 'Europe/Amsterdam';
const dayNight = [el([c('ENERGY', 0.1)], { start_time: '22:00', end_time: '06:00' }), el([c('ENERGY', 0.3)])];
const weekend = [el([c('TIME', 2)], { day_of_week: ['SATURDAY', 'SUNDAY'] }), el([c('TIME', 1)])];
const nightTime = [el([c('TIME', 1)], { start_time: '22:00', end_time: '07:00' }), el([c('TIME', 2)])];

export const restrictionCases: PricingCase[] = [
  {
    name: 'time of day: 0.30 from 08:00 to 20:00, a period 19:00–21:00 local split at 20:00',
    elements: [el([c('ENERGY', 0.3)], { start_time: '08:00', end_time: '20:00' }), el([c('ENERGY', 0.2)])], timeZone: AMS,
    start: '2027-01-12T18:00:00Z', end: '2027-01-12T20:00:00Z', periods: [p('2027-01-12T18:00:00Z', { ENERGY: 10 })],
    // 5 kWh before 20:00 × 0.30 = 1.50 + 5 kWh × 0.20 = 1.00 → 2.50
    expected: { total_cost: { excl_vat: 2.5 }, total_energy_cost: { excl_vat: 2.5 }, total_time: 2 },
  },
  {
    name: 'midnight wrap: night 22:00–06:00, 21:00–23:00 local',
    elements: dayNight, timeZone: AMS,
    start: '2027-01-12T20:00:00Z', end: '2027-01-12T22:00:00Z', periods: [p('2027-01-12T20:00:00Z', { ENERGY: 8 })],
    // 4 × 0.30 + 4 × 0.10 = 1.60
    expected: { total_cost: { excl_vat: 1.6 }, total_energy_cost: { excl_vat: 1.6 } },
  },
  {
    name: 'midnight wrap: 23:00–01:00 local lies wholly in the night window',
    elements: dayNight, timeZone: AMS,
    start: '2027-01-12T22:00:00Z', end: '2027-01-13T00:00:00Z', periods: [p('2027-01-12T22:00:00Z', { ENERGY: 6 })],
    // 6 × 0.10 = 0.60
    expected: { total_cost: { excl_vat: 0.6 }, total_energy_cost: { excl_vat: 0.6 } },
  },
  {
    name: 'midnight wrap: 05:00–07:00 local leaves the night window at 06:00',
    elements: dayNight, timeZone: AMS,
    start: '2027-01-13T04:00:00Z', end: '2027-01-13T06:00:00Z', periods: [p('2027-01-13T04:00:00Z', { ENERGY: 4 })],
    // 2 × 0.10 + 2 × 0.30 = 0.80
    expected: { total_cost: { excl_vat: 0.8 }, total_energy_cost: { excl_vat: 0.8 } },
  },
  {
    name: 'end_time 00:00 is the end of the day: 18:00–00:00 at 2.00/h, 23:00–01:00 local',
    elements: [el([c('TIME', 2)], { start_time: '18:00', end_time: '00:00' }), el([c('TIME', 1)])], timeZone: AMS,
    start: '2027-01-12T22:00:00Z', end: '2027-01-13T00:00:00Z', periods: [p('2027-01-12T22:00:00Z', { ENERGY: 5, TIME: 2 })],
    // 1 h × 2.00 + 1 h × 1.00 = 3.00
    expected: { total_cost: { excl_vat: 3 }, total_time_cost: { excl_vat: 3 } },
  },
  {
    name: 'start_time alone: 3.00/h from 12:00, 11:00–13:00 local',
    elements: [el([c('TIME', 3)], { start_time: '12:00' }), el([c('TIME', 1)])], timeZone: AMS,
    start: '2027-01-12T10:00:00Z', end: '2027-01-12T12:00:00Z', periods: [p('2027-01-12T10:00:00Z', { ENERGY: 5, TIME: 2 })],
    // 1 h × 1.00 + 1 h × 3.00 = 4.00
    expected: { total_cost: { excl_vat: 4 }, total_time_cost: { excl_vat: 4 } },
  },
  {
    name: 'end_time alone: 0.50/h until 09:00, 08:00–10:00 local',
    elements: [el([c('TIME', 0.5)], { end_time: '09:00' }), el([c('TIME', 1)])], timeZone: AMS,
    start: '2027-01-12T07:00:00Z', end: '2027-01-12T09:00:00Z', periods: [p('2027-01-12T07:00:00Z', { ENERGY: 5, TIME: 2 })],
    // 1 h × 0.50 + 1 h × 1.00 = 1.50
    expected: { total_cost: { excl_vat: 1.5 }, total_time_cost: { excl_vat: 1.5 } },
  },
  {
    name: 'start_date (inclusive, local): 0.40 from 2027-03-02, 23:00–01:00 local',
    elements: [el([c('ENERGY', 0.4)], { start_date: '2027-03-02' }), el([c('ENERGY', 0.3)])], timeZone: AMS,
    start: '2027-03-01T22:00:00Z', end: '2027-03-02T00:00:00Z', periods: [p('2027-03-01T22:00:00Z', { ENERGY: 4 })],
    // 2 × 0.30 + 2 × 0.40 = 1.40 (the date changes at local midnight, 23:00 UTC)
    expected: { total_cost: { excl_vat: 1.4 }, total_energy_cost: { excl_vat: 1.4 } },
  },
  {
    name: 'end_date (exclusive, local): 0.20 until 2027-03-02, 23:00–01:00 local',
    elements: [el([c('ENERGY', 0.2)], { end_date: '2027-03-02' }), el([c('ENERGY', 0.3)])], timeZone: AMS,
    start: '2027-03-01T22:00:00Z', end: '2027-03-02T00:00:00Z', periods: [p('2027-03-01T22:00:00Z', { ENERGY: 4 })],
    // 2 × 0.20 + 2 × 0.30 = 1.00
    expected: { total_cost: { excl_vat: 1 }, total_energy_cost: { excl_vat: 1 } },
  },
  {
    name: 'day_of_week boundary Friday → Saturday at local midnight',
    elements: [el([c('ENERGY', 0.15)], { day_of_week: ['SATURDAY', 'SUNDAY'] }), el([c('ENERGY', 0.3)])], timeZone: AMS,
    start: '2027-03-05T22:00:00Z', end: '2027-03-06T00:00:00Z', periods: [p('2027-03-05T22:00:00Z', { ENERGY: 4 })],
    // Friday 23:00–00:00: 2 × 0.30 = 0.60; Saturday 00:00–01:00: 2 × 0.15 = 0.30 → 0.90
    expected: { total_cost: { excl_vat: 0.9 }, total_energy_cost: { excl_vat: 0.9 } },
  },
  {
    name: 'day_of_week boundary Sunday → Monday at local midnight',
    elements: weekend, timeZone: AMS,
    start: '2027-03-07T22:30:00Z', end: '2027-03-07T23:30:00Z', periods: [p('2027-03-07T22:30:00Z', { ENERGY: 3, TIME: 1 })],
    // Sunday 23:30–00:00: 0.5 h × 2.00 = 1.00; Monday: 0.5 h × 1.00 = 0.50 → 1.50
    expected: { total_cost: { excl_vat: 1.5 }, total_time_cost: { excl_vat: 1.5 } },
  },
  {
    name: 'day_of_week is the local weekday: Saturday 00:30–01:30 local is Friday in UTC',
    elements: weekend, timeZone: AMS,
    start: '2027-03-05T23:30:00Z', end: '2027-03-06T00:30:00Z', periods: [p('2027-03-05T23:30:00Z', { ENERGY: 3, TIME: 1 })],
    // all Saturday locally: 1 h × 2.00 = 2.00
    expected: { total_cost: { excl_vat: 2 }, total_time_cost: { excl_vat: 2 } },
  },
  {
    name: 'min_kwh/max_kwh: 0.30 for the first 10 kWh, 0.20 after, one period of 15 kWh',
    elements: [el([c('ENERGY', 0.3)], { max_kwh: 10 }), el([c('ENERGY', 0.2)], { min_kwh: 10 })],
    start: '2027-03-01T10:00:00Z', end: '2027-03-01T11:00:00Z', periods: [p('2027-03-01T10:00:00Z', { ENERGY: 15 })],
    // 10 × 0.30 + 5 × 0.20 = 4.00
    expected: { total_cost: { excl_vat: 4 }, total_energy_cost: { excl_vat: 4 }, total_energy: 15 },
  },
  {
    name: 'min_kwh/max_kwh at a period boundary: 10 kWh then 5 kWh',
    elements: [el([c('ENERGY', 0.3)], { max_kwh: 10 }), el([c('ENERGY', 0.2)], { min_kwh: 10 })],
    start: '2027-03-01T10:00:00Z', end: '2027-03-01T11:00:00Z',
    periods: [p('2027-03-01T10:00:00Z', { ENERGY: 10 }), p('2027-03-01T10:40:00Z', { ENERGY: 5 })],
    // 10 × 0.30 + 5 × 0.20 = 4.00 (min_kwh is inclusive: the second period starts at exactly 10 kWh)
    expected: { total_cost: { excl_vat: 4 }, total_energy_cost: { excl_vat: 4 } },
  },
  {
    name: 'kWh threshold splits time linearly: 2.00/h below 5 kWh, 4.00/h from 5 kWh, 10 kWh in 1 h',
    elements: [el([c('TIME', 2)], { max_kwh: 5 }), el([c('TIME', 4)], { min_kwh: 5 })],
    start: '2027-03-01T10:00:00Z', end: '2027-03-01T11:00:00Z', periods: [p('2027-03-01T10:00:00Z', { ENERGY: 10, TIME: 1 })],
    // 5 kWh reached after 30 min: 0.5 × 2.00 + 0.5 × 4.00 = 3.00
    expected: { total_cost: { excl_vat: 3 }, total_time_cost: { excl_vat: 3 } },
  },
  {
    name: 'min_current read from MIN_CURRENT per period',
    elements: [el([c('TIME', 1)], { min_current: 16 }), el([c('TIME', 2)])],
    start: '2027-03-01T10:00:00Z', end: '2027-03-01T12:00:00Z',
    periods: [p('2027-03-01T10:00:00Z', { ENERGY: 7, MIN_CURRENT: 20, TIME: 1 }), p('2027-03-01T11:00:00Z', { ENERGY: 3, MIN_CURRENT: 10, TIME: 1 })],
    // 1 h × 1.00 + 1 h × 2.00 = 3.00
    expected: { total_cost: { excl_vat: 3 }, total_time_cost: { excl_vat: 3 } },
  },
  {
    name: 'max_current read from CURRENT when MAX_CURRENT is absent',
    elements: [el([c('TIME', 1)], { max_current: 32 }), el([c('TIME', 3)])],
    start: '2027-03-01T10:00:00Z', end: '2027-03-01T12:00:00Z',
    periods: [p('2027-03-01T10:00:00Z', { ENERGY: 7, CURRENT: 16, TIME: 1 }), p('2027-03-01T11:00:00Z', { ENERGY: 14, CURRENT: 32, TIME: 1 })],
    // 16 A < 32: 1.00; 32 A is not < 32: 3.00 → 4.00
    expected: { total_cost: { excl_vat: 4 }, total_time_cost: { excl_vat: 4 } },
  },
  {
    name: 'min_power read from MIN_POWER, then POWER',
    elements: [el([c('ENERGY', 0.5)], { min_power: 50 }), el([c('ENERGY', 0.3)])],
    start: '2027-03-01T10:00:00Z', end: '2027-03-01T11:00:00Z',
    periods: [
      p('2027-03-01T10:00:00Z', { ENERGY: 10, MIN_POWER: 60 }),
      p('2027-03-01T10:20:00Z', { ENERGY: 5, POWER: 20 }),
      p('2027-03-01T10:40:00Z', { ENERGY: 10, POWER: 55 }),
    ],
    // 10 × 0.50 + 5 × 0.30 + 10 × 0.50 = 11.50
    expected: { total_cost: { excl_vat: 11.5 }, total_energy_cost: { excl_vat: 11.5 } },
  },
  {
    name: 'a power restriction with no power dimension in the period does not exclude the element',
    elements: [el([c('ENERGY', 0.3)], { max_power: 22 }), el([c('ENERGY', 0.6)])],
    start: '2027-03-01T10:00:00Z', end: '2027-03-01T11:00:00Z', periods: [p('2027-03-01T10:00:00Z', { ENERGY: 10 })],
    // 10 × 0.30 = 3.00
    expected: { total_cost: { excl_vat: 3 }, total_energy_cost: { excl_vat: 3 } },
  },
  {
    name: 'min_duration/max_duration: 1.00/h the first hour, 3.00/h after, 2 h in one period (ocpi/ocpi#176)',
    elements: [el([c('TIME', 1)], { max_duration: 3600 }), el([c('TIME', 3)], { min_duration: 3600 })],
    start: '2027-03-01T10:00:00Z', end: '2027-03-01T12:00:00Z', periods: [p('2027-03-01T10:00:00Z', { ENERGY: 20, TIME: 2 })],
    // 1 × 1.00 + 1 × 3.00 = 4.00
    expected: { total_cost: { excl_vat: 4 }, total_time_cost: { excl_vat: 4 } },
  },
  {
    name: 'duration counts from the session start, parking included: parking free for the first 2 h of the session',
    elements: [el([c('PARKING_TIME', 0)], { max_duration: 7200 }), el([c('PARKING_TIME', 6)])],
    start: '2027-03-01T10:00:00Z', end: '2027-03-01T12:30:00Z',
    periods: [p('2027-03-01T10:00:00Z', { ENERGY: 20, TIME: 1.5 }), p('2027-03-01T11:30:00Z', { PARKING_TIME: 1 })],
    // parking 11:30–12:00 free, 12:00–12:30 × 6.00 = 3.00
    expected: { total_cost: { excl_vat: 3 }, total_parking_cost: { excl_vat: 3 }, total_parking_time: 1, total_time: 2.5 },
  },
  {
    name: 'reservation elements do not price a session without reservation',
    elements: [el([c('FLAT', 2), c('TIME', 5)], { reservation: 'RESERVATION' }), el([c('TIME', 1)])],
    start: '2027-03-01T10:00:00Z', end: '2027-03-01T11:00:00Z', periods: [p('2027-03-01T10:00:00Z', { ENERGY: 5, TIME: 1 })],
    // 1 h × 1.00
    expected: { total_cost: { excl_vat: 1 }, total_time_cost: { excl_vat: 1 } },
  },
  {
    name: 'reservation restricted by time of day, in local time',
    elements: [el([c('TIME', 4)], { reservation: 'RESERVATION', start_time: '08:00', end_time: '18:00' }), el([c('TIME', 1)], { reservation: 'RESERVATION' }), el([c('ENERGY', 0.3)])],
    timeZone: AMS,
    start: '2027-01-12T16:30:00Z', end: '2027-01-12T18:00:00Z',
    periods: [p('2027-01-12T16:30:00Z', { RESERVATION_TIME: 1 }), p('2027-01-12T17:30:00Z', { ENERGY: 10, TIME: 0.5 })],
    // reservation 17:30–18:00 local × 4.00 = 2.00 + 18:00–18:30 × 1.00 = 0.50 → 2.50; energy 3.00; total_time from the session's first period
    expected: { total_cost: { excl_vat: 5.5 }, total_reservation_cost: { excl_vat: 2.5 }, total_energy_cost: { excl_vat: 3 }, total_time: 0.5 },
  },
];

export const dstCases: PricingCase[] = [
  {
    name: 'DST spring forward (Amsterdam 2027-03-28): night ends at 07:00 CEST = 05:00 UTC',
    elements: nightTime, timeZone: AMS,
    start: '2027-03-28T00:00:00Z', end: '2027-03-28T06:00:00Z', periods: [p('2027-03-28T00:00:00Z', { ENERGY: 30, TIME: 6 })],
    // 01:00 CET → 08:00 CEST: 5 h night × 1.00 + 1 h × 2.00 = 7.00
    expected: { total_cost: { excl_vat: 7 }, total_time_cost: { excl_vat: 7 }, total_time: 6 },
  },
  {
    name: 'DST fall back (Amsterdam 2027-10-31): 8 real hours of night',
    elements: nightTime, timeZone: AMS,
    start: '2027-10-30T22:00:00Z', end: '2027-10-31T06:00:00Z', periods: [p('2027-10-30T22:00:00Z', { ENERGY: 30, TIME: 8 })],
    // 00:00 CEST → 07:00 CET is 8 h, all before 07:00 local: 8 × 1.00
    expected: { total_cost: { excl_vat: 8 }, total_time_cost: { excl_vat: 8 }, total_time: 8 },
  },
  {
    name: 'DST fall back: a 02:30–03:00 window happens twice',
    elements: [el([c('TIME', 10)], { start_time: '02:30', end_time: '03:00' }), el([c('TIME', 1)])], timeZone: AMS,
    start: '2027-10-31T00:00:00Z', end: '2027-10-31T03:00:00Z', periods: [p('2027-10-31T00:00:00Z', { ENERGY: 10, TIME: 3 })],
    // 02:30–03:00 CEST (00:30–01:00Z) and 02:30–03:00 CET (01:30–02:00Z): 1 h × 10.00 + 2 h × 1.00 = 12.00
    expected: { total_cost: { excl_vat: 12 }, total_time_cost: { excl_vat: 12 } },
  },
  {
    name: 'DST spring forward: a window starting at a local time that does not exist starts at the jump',
    elements: [el([c('TIME', 10)], { start_time: '02:30', end_time: '04:00' }), el([c('TIME', 1)])], timeZone: AMS,
    start: '2027-03-28T00:00:00Z', end: '2027-03-28T03:00:00Z', periods: [p('2027-03-28T00:00:00Z', { ENERGY: 10, TIME: 3 })],
    // 01:00–02:00 CET × 1.00; 03:00–04:00 CEST (01:00–02:00Z) × 10.00; 04:00–05:00 CEST × 1.00 → 12.00
    expected: { total_cost: { excl_vat: 12 }, total_time_cost: { excl_vat: 12 } },
  },
  {
    name: 'DST in New York (2027-03-14): day rate from 07:00 EDT',
    elements: [el([c('ENERGY', 0.4)], { start_time: '07:00', end_time: '19:00' }), el([c('ENERGY', 0.2)])], timeZone: 'America/New_York', currency: 'USD',
    start: '2027-03-14T09:00:00Z', end: '2027-03-14T13:00:00Z', periods: [p('2027-03-14T09:00:00Z', { ENERGY: 40 })],
    // 05:00 EDT → 09:00 EDT: 2 h night (20 kWh × 0.20 = 4.00) + 2 h day (20 × 0.40 = 8.00) → 12.00
    expected: { total_cost: { excl_vat: 12 }, total_energy_cost: { excl_vat: 12 } },
  },
];
