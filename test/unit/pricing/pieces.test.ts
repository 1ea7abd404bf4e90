import { Decimal } from '../../../src/pricing/decimal';
import { DimensionLedger } from '../../../src/pricing/ledger';
import { DAY_MS, ZoneTimeline } from '../../../src/pricing/local-time';
import { limitTotal, minorUnitDigits, toPrice } from '../../../src/pricing/money';
import { measure } from '../../../src/pricing/periods';
import { compileElement, inTimeWindow, restrictionsMatch, selectComponents, type Moment } from '../../../src/pricing/restrictions';
import { splitPeriod } from '../../../src/pricing/segments';
import { applyDurationStep, applyEnergyStep, roundUpToStep } from '../../../src/pricing/step-size';
import { c, el, p } from './fixtures';

const at = (iso: string) => Date.parse(iso);
const h = (hours: number, minutes = 0) => (hours * 60 + minutes) * 60_000;

describe('time-of-day window', () => {
  it.each([
    ['inside a day window', h(12), h(8), h(20), true],
    ['at its start (inclusive)', h(8), h(8), h(20), true],
    ['at its end (exclusive)', h(20), h(8), h(20), false],
    ['wrapping, before midnight', h(23), h(22), h(6), true],
    ['wrapping, after midnight', h(3), h(22), h(6), true],
    ['wrapping, at its end', h(6), h(22), h(6), false],
    ['wrapping, outside', h(12), h(22), h(6), false],
    ['start only', h(23, 59), h(18), undefined, true],
    ['end only', h(0), undefined, h(9), true],
    ['end 00:00 as end of day', h(23, 59), h(18), DAY_MS, true],
    ['equal bounds: whole day', h(5), h(10), h(10), true],
  ])('%s', (_name, time, start, end, expected) => {
    expect(inTimeWindow(time, start, end)).toBe(expected);
  });
});

describe('ZoneTimeline', () => {
  it('reads local time, date and weekday through a DST change', () => {
    const timeline = new ZoneTimeline('Europe/Amsterdam', at('2027-03-27T00:00:00Z'), at('2027-03-29T00:00:00Z'));
    const before = timeline.local(at('2027-03-28T00:59:00Z'));
    const after = timeline.local(at('2027-03-28T01:00:00Z'));
    expect(before.msOfDay).toBe(h(1, 59));
    expect(after.msOfDay).toBe(h(3));
    expect(after.weekday).toBe(6);
    expect(timeline.local(at('2027-03-28T22:30:00Z')).weekday).toBe(0);
  });

  it('finds both instants of an ambiguous local time and the offset change itself', () => {
    const timeline = new ZoneTimeline('Europe/Amsterdam', at('2027-10-31T00:00:00Z'), at('2027-10-31T03:00:00Z'));
    const found = timeline.boundaries(at('2027-10-31T00:00:00Z'), at('2027-10-31T03:00:00Z'), [h(2, 30)]).map((ms) => new Date(ms).toISOString());
    expect(found).toEqual(['2027-10-31T00:30:00.000Z', '2027-10-31T01:00:00.000Z', '2027-10-31T01:30:00.000Z']);
  });

  it('skips a local time that does not exist, keeping the jump', () => {
    const timeline = new ZoneTimeline('Europe/Amsterdam', at('2027-03-28T00:00:00Z'), at('2027-03-28T03:00:00Z'));
    const found = timeline.boundaries(at('2027-03-28T00:00:00Z'), at('2027-03-28T03:00:00Z'), [h(2, 30)]).map((ms) => new Date(ms).toISOString());
    expect(found).toEqual(['2027-03-28T01:00:00.000Z']);
  });

  it('includes local midnight', () => {
    const timeline = new ZoneTimeline('Asia/Kolkata', at('2027-03-01T12:00:00Z'), at('2027-03-02T12:00:00Z'));
    expect(timeline.boundaries(at('2027-03-01T12:00:00Z'), at('2027-03-02T12:00:00Z'), []).map((ms) => new Date(ms).toISOString())).toEqual(['2027-03-01T18:30:00.000Z']);
  });
});

describe('restriction matching', () => {
  const moment = (overrides: Partial<Moment> = {}): Moment => ({ local: { dayNumber: 0, msOfDay: h(12), weekday: 0 }, energy: new Decimal(5), elapsedMs: new Decimal(h(1)), ...overrides });

  it.each([
    ['min_kwh inclusive', { min_kwh: 5 }, moment(), true],
    ['max_kwh exclusive', { max_kwh: 5 }, moment(), false],
    ['min_duration inclusive', { min_duration: 3600 }, moment(), true],
    ['max_duration exclusive', { max_duration: 3600 }, moment(), false],
    ['start_date inclusive', { start_date: '1970-01-01' }, moment(), true],
    ['end_date exclusive', { end_date: '1970-01-01' }, moment(), false],
    ['day_of_week', { day_of_week: ['MONDAY' as const] }, moment(), true],
    ['day_of_week, other day', { day_of_week: ['SUNDAY' as const] }, moment(), false],
  ])('%s', (_name, restrictions, at, expected) => {
    expect(restrictionsMatch(compileElement(el([c('ENERGY', 1)], restrictions), 0), at, {})).toBe(expected);
  });

  it('compares min_* with the minimum and max_* with the maximum level of the period', () => {
    const element = compileElement(el([c('ENERGY', 1)], { min_power: 10, max_power: 20 }), 0);
    expect(restrictionsMatch(element, moment(), { minPower: 10, maxPower: 19.9 })).toBe(true);
    expect(restrictionsMatch(element, moment(), { minPower: 9.9, maxPower: 15 })).toBe(false);
    expect(restrictionsMatch(element, moment(), { minPower: 12, maxPower: 20 })).toBe(false);
  });

  it('takes the first matching element per dimension, each dimension on its own', () => {
    const elements = [
      el([c('ENERGY', 0.5)], { day_of_week: ['SUNDAY'] }),
      el([c('TIME', 2)]),
      el([c('ENERGY', 0.2), c('TIME', 9)]),
    ].map(compileElement);
    const active = selectComponents(elements, 'session', moment(), {});
    expect(active.ENERGY?.element).toBe(2);
    expect(active.TIME?.element).toBe(1);
    expect(active.PARKING_TIME).toBeUndefined();
  });

  it('prices an expired reservation with RESERVATION_EXPIRES first, RESERVATION for the rest', () => {
    const elements = [
      el([c('FLAT', 1), c('TIME', 2)], { reservation: 'RESERVATION' }),
      el([c('TIME', 6)], { reservation: 'RESERVATION_EXPIRES' }),
    ].map(compileElement);
    const expired = selectComponents(elements, 'expired-reservation', moment(), {});
    expect([expired.FLAT?.component.price, expired.TIME?.component.price]).toEqual([1, 6]);
    const used = selectComponents(elements, 'reservation', moment(), {});
    expect(used.TIME?.component.price).toBe(2);
  });
});

describe('splitting a period', () => {
  const timeline = new ZoneTimeline('UTC', at('2027-03-01T10:00:00Z'), at('2027-03-01T11:00:00Z'));
  const [period] = measure('2027-03-01T10:00:00Z', '2027-03-01T11:00:00Z', [p('2027-03-01T10:00:00Z', { ENERGY: 12 })]).periods;

  it('cuts at clock, duration and kWh thresholds, energy accruing linearly', () => {
    const segments = splitPeriod(period!, new Decimal(2), {
      timeline,
      clockBoundaries: [at('2027-03-01T10:30:00Z')],
      anchor: at('2027-03-01T10:00:00Z'),
      durationThresholds: [h(0, 45)],
      kwhThresholds: [new Decimal(5)],
    });
    expect(segments.map((s) => [s.share.toString(), s.energy.toString()])).toEqual([
      ['0.25', '3'],
      ['0.25', '3'],
      ['0.25', '3'],
      ['0.25', '3'],
    ]);
    expect(segments[1]!.moment.energy.toString()).toBe('6.5');
  });

  it('keeps a period whole when nothing changes inside it', () => {
    const segments = splitPeriod(period!, new Decimal(0), { timeline, clockBoundaries: [], anchor: 0, durationThresholds: [], kwhThresholds: [new Decimal(20)] });
    expect(segments).toHaveLength(1);
    expect(segments[0]!.share.toString()).toBe('1');
  });
});

describe('reading periods', () => {
  it('derives charging and parking time when neither is given, reads power and current levels', () => {
    const { periods } = measure('2027-03-01T10:00:00Z', '2027-03-01T11:30:00Z', [
      p('2027-03-01T10:00:00Z', { ENERGY: 4, MAX_POWER: 11, MIN_POWER: 3, CURRENT: 16 }),
      p('2027-03-01T11:00:00Z', { ENERGY: 0 }),
    ]);
    expect(periods.map((x) => [x.time.toString(), x.parking.toString()])).toEqual([['1', '0'], ['0', '0.5']]);
    expect(periods[0]!.levels).toEqual({ minPower: 3, maxPower: 11, minCurrent: 16, maxCurrent: 16 });
  });
});

describe('step size', () => {
  it.each([
    [1, 1, 1], [1.2, 1, 2], [61, 60, 120], [0.5, 0, 0.5], [900, 900, 900],
  ])('%s rounded up to a step of %s is %s', (total, step, expected) => {
    expect(roundUpToStep(new Decimal(total), step).toNumber()).toBe(expected);
  });

  it('adds the rounding to the last component, at its price', () => {
    const ledger = new DimensionLedger();
    const first = c('ENERGY', 0.2, 500);
    const last = c('ENERGY', 0.3, 1000);
    ledger.add(first, new Decimal(2));
    ledger.add(last, new Decimal(0.2));
    applyEnergyStep(ledger);
    // 2.2 kWh → 3 kWh: 2 × 0.20 + (0.2 + 0.8) × 0.30
    expect(ledger.cost().exclVat.toString()).toBe('0.7');
  });

  it('rounds durations in whole seconds first', () => {
    const ledger = new DimensionLedger();
    ledger.add(c('TIME', 3600, 1), new Decimal('0.0002777'));
    applyDurationStep(ledger);
    expect(ledger.cost().exclVat.toString()).toBe('1');
  });
});

describe('money', () => {
  it('knows minor units', () => {
    expect([minorUnitDigits('EUR'), minorUnitDigits('JPY'), minorUnitDigits('KWD')]).toEqual([2, 0, 3]);
  });

  it('rounds half up, once', () => {
    expect(toPrice({ exclVat: new Decimal('0.125'), inclVat: new Decimal('0.135') }, 2)).toEqual({ excl_vat: 0.13, incl_vat: 0.14 });
    expect(toPrice({ exclVat: new Decimal('2.4999') }, 2)).toEqual({ excl_vat: 2.5 });
  });

  it('bounds each side by its own min and max', () => {
    const limited = limitTotal({ exclVat: new Decimal(12), inclVat: new Decimal(14) }, { excl_vat: 1 }, { excl_vat: 10, incl_vat: 11 });
    expect([limited.exclVat.toNumber(), limited.inclVat?.toNumber()]).toEqual([10, 11]);
  });
});
