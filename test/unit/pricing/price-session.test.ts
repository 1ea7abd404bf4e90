import { priceSession, PricingError } from '../../../src/pricing';
import { flatFeeCases, priceLimitCases, readingCases, stepSizeCases, vatCases } from './billing.cases';
import { COST_FIELDS, c, el, inputOf, p, type PricingCase } from './fixtures';
import { implementerCases, implementerDisagreementCases } from './implementers.cases';
import { dstCases, restrictionCases } from './rule.cases';
import { specExampleCases } from './spec-examples.cases';

const suites: [string, PricingCase[]][] = [
  ['spec examples', specExampleCases],
  ['restrictions', restrictionCases],
  ['DST', dstCases],
  ['step_size', stepSizeCases],
  ['min/max price', priceLimitCases],
  ['VAT', vatCases],
  ['flat fees', flatFeeCases],
  ['reading the input', readingCases],
  ['published by implementers', implementerCases],
  ['implementers we disagree with (our totals)', implementerDisagreementCases],
];

describe('priceSession', () => {
  it('has at least 60 priced cases, each named once', () => {
    const names = suites.flatMap(([, cases]) => cases.map((testCase) => testCase.name));
    expect(names.length).toBeGreaterThanOrEqual(60);
    expect(new Set(names).size).toBe(names.length);
  });

  describe.each(suites)('%s', (_suite, cases) => {
    it.each(cases.map((testCase) => [testCase.name, testCase] as const))('%s', (_name, testCase) => {
      const priced = priceSession(inputOf(testCase));
      expect(priced).toMatchObject(testCase.expected);
      for (const field of COST_FIELDS) if (!(field in testCase.expected)) expect(priced[field]).toBeUndefined();
    });
  });

  describe('refuses input it cannot price', () => {
    const tariff = { currency: 'EUR', elements: [el([c('ENERGY', 0.3)])] };
    const period = p('2027-03-01T10:00:00Z', { ENERGY: 1 });
    const base = { tariff, startDateTime: '2027-03-01T10:00:00Z', endDateTime: '2027-03-01T11:00:00Z', chargingPeriods: [period], timeZone: 'UTC' };

    it.each([
      ['an unknown time zone', { timeZone: 'Mars/Olympus_Mons' }, /time zone/],
      ['an end before the start', { endDateTime: '2027-03-01T09:00:00Z' }, /before start_date_time/],
      ['a period before the session', { startDateTime: '2027-03-01T10:30:00Z' }, /starts before the session/],
      ['periods out of order', { chargingPeriods: [p('2027-03-01T10:30:00Z', { ENERGY: 1 }), period] }, /before the period before it/],
      ['an end before the last period', { endDateTime: '2027-03-01T10:00:00Z', chargingPeriods: [period, p('2027-03-01T10:30:00Z', { ENERGY: 1 })] }, /last charging period/],
      ['a malformed DateTime', { startDateTime: '2027-03-01 10:00' }, /not an OCPI DateTime/],
      ['a malformed currency', { tariff: { ...tariff, currency: 'EURO' } }, /currency/],
    ])('%s', (_name, change, message) => {
      const run = () => priceSession({ ...base, ...change });
      expect(run).toThrow(PricingError);
      expect(run).toThrow(message);
    });
  });

  it('does not read the clock or mutate its input', () => {
    const testCase = specExampleCases[4]!;
    const input = inputOf(testCase);
    const copy = JSON.parse(JSON.stringify(input)) as typeof input;
    const first = priceSession(input);
    expect(priceSession(input)).toEqual(first);
    expect(input).toEqual(copy);
  });
});
