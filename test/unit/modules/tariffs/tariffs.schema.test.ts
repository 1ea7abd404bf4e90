import type { TSchema } from '@sinclair/typebox';
import { compile } from '../../../../src/ocpi/ajv';
import { problemsWith } from '../../../../src/ocpi/validate';
import * as schemas from '../../../../src/modules/tariffs/tariffs.schema';
import {
  DayOfWeek,
  PriceComponent,
  Tariff,
  TARIFF_FIELD_ORDER,
  TariffDimensionType,
  TariffInput,
  TariffRestrictions,
  tariffRuleViolations,
  TariffType,
  type Tariff as TariffObject,
  type TariffInput as TariffInputObject,
} from '../../../../src/modules/tariffs/tariffs.schema';

/** A realistic Tariff with every optional field: a night/day AC tariff with a reservation fee and parking after 3 hours. */
function validTariff(): TariffObject {
  return {
    country_code: 'NL',
    party_id: 'EXA',
    id: 'TARIFF-AC-1',
    currency: 'EUR',
    type: 'REGULAR',
    tariff_alt_text: [{ language: 'en', text: 'Night rate 22:00-07:00 on weekdays' }],
    tariff_alt_url: 'https://example.com/tariffs/ac-1',
    min_price: { excl_vat: 0.5, incl_vat: 0.61 },
    max_price: { excl_vat: 80, incl_vat: 96.8 },
    elements: [
      {
        price_components: [{ type: 'ENERGY', price: 0.25, vat: 21, step_size: 1 }, { type: 'TIME', price: 1.2, vat: 21, step_size: 60 }],
        restrictions: {
          start_time: '22:00', end_time: '07:00', start_date: '2027-01-01', end_date: '2028-01-01',
          min_kwh: 0, max_kwh: 50.5, min_current: 6, max_current: 32, min_power: 1.5, max_power: 22,
          min_duration: 0, max_duration: 7200, day_of_week: ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY'],
        },
      },
      { price_components: [{ type: 'FLAT', price: 2.5, step_size: 1 }, { type: 'TIME', price: 3, vat: 0, step_size: 1 }], restrictions: { reservation: 'RESERVATION' } },
      { price_components: [{ type: 'PARKING_TIME', price: 5, vat: 21, step_size: 300 }], restrictions: { min_duration: 10800 } },
      { price_components: [{ type: 'ENERGY', price: 0.35, vat: 21, step_size: 1 }] },
    ],
    start_date_time: '2027-01-01T00:00:00Z',
    end_date_time: '2028-01-01T00:00:00Z',
    energy_mix: { is_green_energy: true, energy_sources: [{ source: 'WIND', percentage: 100 }], supplier_name: 'Groene Stroom' },
    last_updated: '2026-11-20T10:05:00Z',
  };
}

type Json = Record<string, any>;
const tariffWith = (change: (tariff: Json) => void): Json => {
  const tariff = validTariff() as Json;
  change(tariff);
  return tariff;
};
const problemsAt = (schema: TSchema, value: unknown, path: string): string[] =>
  problemsWith(schema, value).filter((problem) => problem.startsWith(path));
/** The rule violations of a valid tariff changed by `change` (the schema must still accept it). */
const violations = (change: (tariff: Json) => void): string[] => {
  const tariff = tariffWith(change);
  expect(problemsWith(TariffInput, tariff)).toEqual([]);
  return tariffRuleViolations(tariff as TariffInputObject);
};

describe('Tariff schemas', () => {
  it('when the module is compiled by the strict ajv instance, then every exported schema is accepted', () => {
    const exported = Object.entries(schemas).filter(([, value]) => typeof value === 'object' && !Array.isArray(value));
    expect(exported.map(([name]) => name)).toEqual(expect.arrayContaining(['Tariff', 'TariffInput', 'TariffElement', 'TariffRestrictions', 'PriceComponent', 'Price']));
    for (const [, schema] of exported) expect(() => compile(schema as TSchema)).not.toThrow();
  });

  it('when a complete realistic Tariff is given, then it passes Tariff and TariffInput and breaks no rule', () => {
    expect(problemsWith(Tariff, validTariff())).toEqual([]);
    expect(problemsWith(TariffInput, validTariff())).toEqual([]);
    expect(tariffRuleViolations(validTariff())).toEqual([]);
  });

  it('when the operator leaves out last_updated and the owner, then TariffInput accepts it but Tariff does not', () => {
    const input = tariffWith((t) => {
      delete t.last_updated;
      delete t.country_code;
      delete t.party_id;
    });
    expect(problemsWith(TariffInput, input)).toEqual([]);
    expect(problemsWith(Tariff, input)).toEqual(expect.arrayContaining(['/last_updated is required', '/country_code is required', '/party_id is required']));
  });

  it('when only id, currency and one element with one component are given, then TariffInput accepts it', () => {
    expect(problemsWith(TariffInput, { id: 'T', currency: 'EUR', elements: [{ price_components: [{ type: 'FLAT', price: 0, step_size: 1 }] }] })).toEqual([]);
  });

  it('when a required field is missing, then it is named', () => {
    expect(problemsWith(TariffInput, {})).toEqual(expect.arrayContaining(['/id is required', '/currency is required', '/elements is required']));
    const component = tariffWith((t) => { t.elements[0].price_components[0] = { type: 'ENERGY' }; });
    expect(problemsWith(Tariff, component)).toEqual(expect.arrayContaining([
      '/elements/0/price_components/0/price is required', '/elements/0/price_components/0/step_size is required',
    ]));
  });

  it('when the currency is not three upper-case letters, then /currency is named', () => {
    for (const currency of ['eur', 'EURO', 'EU', 'E1R', '']) {
      expect(problemsAt(Tariff, tariffWith((t) => { t.currency = currency; }), '/currency')).toEqual(['/currency must match pattern "^[A-Z]{3}$"']);
    }
  });

  it('when the id is empty or longer than 36 characters, then /id is named; 36 characters pass', () => {
    expect(problemsWith(Tariff, tariffWith((t) => { t.id = 'x'.repeat(36); }))).toEqual([]);
    expect(problemsAt(Tariff, tariffWith((t) => { t.id = 'x'.repeat(37); }), '/id')).toHaveLength(1);
    expect(problemsAt(Tariff, tariffWith((t) => { t.id = ''; }), '/id')).toHaveLength(1);
    expect(problemsAt(Tariff, tariffWith((t) => { t.id = 'tarief-é'; }), '/id')).toHaveLength(1);
  });

  it('when elements or price_components are empty, then they are named', () => {
    expect(problemsAt(Tariff, tariffWith((t) => { t.elements = []; }), '/elements')).toEqual(['/elements must NOT have fewer than 1 items']);
    expect(problemsAt(Tariff, tariffWith((t) => { t.elements[1].price_components = []; }), '/elements/1/price_components'))
      .toEqual(['/elements/1/price_components must NOT have fewer than 1 items']);
  });

  it('when a time restriction is outside 00:00-23:59 or not HH:MM, then it is refused; the edges pass', () => {
    for (const time of ['00:00', '23:59', '19:30']) expect(problemsWith(TariffRestrictions, { start_time: time, end_time: time })).toEqual([]);
    const pattern = '/start_time must match pattern "^([0-1][0-9]|2[0-3]):[0-5][0-9]$"';
    for (const time of ['24:00', '7:00', '07:60', '0700', '']) expect(problemsWith(TariffRestrictions, { start_time: time })).toEqual([pattern]);
    expect(problemsWith(TariffRestrictions, { start_time: '07:00:00' })).toEqual(['/start_time must NOT have more than 5 characters', pattern]);
    expect(problemsAt(TariffRestrictions, { end_time: '7:00' }, '/end_time')).toHaveLength(1);
  });

  it('when a date restriction does not match YYYY-MM-DD with month 01-12 and day 01-31, then it is refused', () => {
    for (const date of ['2027-01-01', '1999-12-31', '2027-02-30']) expect(problemsWith(TariffRestrictions, { start_date: date, end_date: date })).toEqual([]);
    for (const date of ['2027-13-01', '2027-00-10', '2027-01-32', '27-01-01', '2027-1-1', '3027-01-01']) {
      expect(problemsAt(TariffRestrictions, { end_date: date }, '/end_date').length).toBeGreaterThan(0);
    }
  });

  it('when an enum value is unknown or in the wrong case, then it is refused', () => {
    expect(problemsWith(DayOfWeek, 'MON')).not.toEqual([]);
    expect(problemsWith(DayOfWeek, 'monday')).not.toEqual([]);
    expect(problemsWith(TariffDimensionType, 'KWH')).not.toEqual([]);
    expect(problemsWith(TariffType, 'AD_HOC')).not.toEqual([]);
    expect(problemsAt(TariffRestrictions, { reservation: 'BOOKING' }, '/reservation').length).toBeGreaterThan(0);
    for (const day of ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY']) expect(problemsWith(DayOfWeek, day)).toEqual([]);
  });

  it('when day_of_week names a day twice, then it is refused', () => {
    expect(problemsAt(TariffRestrictions, { day_of_week: ['MONDAY', 'MONDAY'] }, '/day_of_week')).toHaveLength(1);
  });

  it('when a price component has a negative or fractional value where it may not, then the field is named', () => {
    expect(problemsWith(PriceComponent, { type: 'ENERGY', price: -0.01, step_size: 1 })).toEqual(['/price must be >= 0']);
    expect(problemsWith(PriceComponent, { type: 'ENERGY', price: 0.3, step_size: 1.5 })).toEqual(['/step_size must be integer']);
    expect(problemsWith(PriceComponent, { type: 'ENERGY', price: 0.3, step_size: -1 })).toEqual(['/step_size must be >= 0']);
    expect(problemsWith(PriceComponent, { type: 'ENERGY', price: 0.3, vat: 100.5, step_size: 1 })).toEqual(['/vat must be <= 100']);
    expect(problemsWith(PriceComponent, { type: 'ENERGY', price: '0.3', step_size: 1 })).toEqual(['/price must be number']);
    expect(problemsWith(PriceComponent, { type: 'ENERGY', price: 0.3, vat: 0, step_size: 0 })).toEqual([]);
  });

  it('when a duration restriction is fractional, then it is refused (seconds are integers)', () => {
    expect(problemsAt(TariffRestrictions, { min_duration: 1.5 }, '/min_duration')).toEqual(['/min_duration must be integer']);
    expect(problemsAt(TariffRestrictions, { max_kwh: -1 }, '/max_kwh')).toEqual(['/max_kwh must be >= 0']);
  });

  it('when a Tariff or a nested object carries an unknown field, then it is named as not allowed', () => {
    const bad = tariffWith((t) => {
      t.colour = 'green';
      t.elements[0].restrictions.max_speed = 10;
      t.elements[0].price_components[0].currency = 'EUR';
      t.min_price.vat = 21;
      t.tariff_alt_text[0].style = 'bold';
      t.elements[3].note = 'x';
    });
    expect(problemsWith(TariffInput, bad)).toEqual(expect.arrayContaining([
      '/colour is not allowed', '/elements/0/restrictions/max_speed is not allowed', '/elements/0/price_components/0/currency is not allowed',
      '/min_price/vat is not allowed', '/tariff_alt_text/0/style is not allowed', '/elements/3/note is not allowed',
    ]));
  });

  it('when a DateTime uses an offset, or tariff_alt_url is no URL, then the field is named', () => {
    expect(problemsAt(Tariff, tariffWith((t) => { t.start_date_time = '2027-01-01T00:00:00+01:00'; }), '/start_date_time')).toHaveLength(1);
    expect(problemsAt(TariffInput, tariffWith((t) => { t.last_updated = '2027-01-01'; }), '/last_updated')).toHaveLength(1);
    expect(problemsAt(Tariff, tariffWith((t) => { t.tariff_alt_url = 'see website'; }), '/tariff_alt_url')).toHaveLength(1);
  });

  it('when the field order is read, then it is the spec\'s: owner, id, currency, ... elements, validity, energy_mix, last_updated', () => {
    expect(TARIFF_FIELD_ORDER).toEqual([
      'country_code', 'party_id', 'id', 'currency', 'type', 'tariff_alt_text', 'tariff_alt_url', 'min_price', 'max_price',
      'elements', 'start_date_time', 'end_date_time', 'energy_mix', 'last_updated',
    ]);
    expect(Object.keys(Tariff.properties)).toEqual(TARIFF_FIELD_ORDER);
  });
});

describe('tariffRuleViolations', () => {
  it('when a start_date or end_date matches the pattern but is not on the calendar, then it is named', () => {
    expect(violations((t) => { t.elements[0].restrictions.start_date = '2027-02-30'; })).toEqual(['/elements/0/restrictions/start_date must be a calendar date']);
    expect(violations((t) => { t.elements[0].restrictions.end_date = '2027-02-29'; })).toEqual(['/elements/0/restrictions/end_date must be a calendar date']);
    expect(violations((t) => { t.elements[0].restrictions.end_date = '2027-06-31'; })).toEqual(['/elements/0/restrictions/end_date must be a calendar date']);
  });

  it('when a date is a leap day of a leap year or the last day of a month, then nothing is wrong', () => {
    expect(violations((t) => { t.elements[0].restrictions.start_date = '2028-02-29'; t.elements[0].restrictions.end_date = '2028-04-30'; })).toEqual([]);
    expect(violations((t) => { t.elements[2].restrictions = { start_date: '2000-02-29', end_date: '2027-12-31' }; })).toEqual([]);
  });

  it('when a reservation restriction has a component other than FLAT or TIME, then the reservation and the component are named', () => {
    expect(violations((t) => { t.elements[1].price_components.push({ type: 'ENERGY', price: 0.1, step_size: 1 }); })).toEqual([
      '/elements/1/restrictions/reservation allows only FLAT and TIME price components, not ENERGY (price_components/2)',
    ]);
    expect(violations((t) => { t.elements[2].restrictions = { reservation: 'RESERVATION_EXPIRES' }; })).toEqual([
      '/elements/2/restrictions/reservation allows only FLAT and TIME price components, not PARKING_TIME (price_components/0)',
    ]);
  });

  it('when a reservation element has only FLAT and TIME components, of either reservation type, then nothing is wrong', () => {
    expect(violations((t) => { t.elements[1].restrictions.reservation = 'RESERVATION_EXPIRES'; })).toEqual([]);
    expect(violations((t) => { t.elements[1].price_components = [{ type: 'TIME', price: 1, step_size: 1 }]; })).toEqual([]);
  });

  it('when min_price is above max_price excl. VAT or incl. VAT, then that side is named', () => {
    expect(violations((t) => { t.min_price = { excl_vat: 80.01, incl_vat: 0.61 }; })).toEqual(['/min_price/excl_vat must not be above /max_price/excl_vat']);
    expect(violations((t) => { t.min_price = { excl_vat: 0.5, incl_vat: 96.81 }; })).toEqual(['/min_price/incl_vat must not be above /max_price/incl_vat']);
    expect(violations((t) => { t.min_price = { excl_vat: 90, incl_vat: 100 }; })).toEqual([
      '/min_price/excl_vat must not be above /max_price/excl_vat', '/min_price/incl_vat must not be above /max_price/incl_vat',
    ]);
  });

  it('when min_price equals max_price, one side lacks incl_vat, or only one of them is given, then nothing is wrong', () => {
    expect(violations((t) => { t.min_price = { excl_vat: 80, incl_vat: 96.8 }; })).toEqual([]);
    expect(violations((t) => { t.min_price = { excl_vat: 1, incl_vat: 200 }; t.max_price = { excl_vat: 80 }; })).toEqual([]);
    expect(violations((t) => { t.min_price = { excl_vat: 100 }; delete t.max_price; })).toEqual([]);
    expect(violations((t) => { delete t.min_price; t.max_price = { excl_vat: 0 }; })).toEqual([]);
  });

  it('when end_date_time is before or equal to start_date_time, in any spelling of the instant, then end_date_time is named', () => {
    const message = ['/end_date_time must be later than /start_date_time'];
    expect(violations((t) => { t.end_date_time = '2026-12-31T23:59:59Z'; })).toEqual(message);
    expect(violations((t) => { t.end_date_time = t.start_date_time; })).toEqual(message);
    expect(violations((t) => { t.start_date_time = '2027-01-01T00:00:00'; t.end_date_time = '2027-01-01T00:00:00.000Z'; })).toEqual(message);
  });

  it('when end_date_time is a millisecond later, when it is given without a Z, or only one of the two is given, then nothing is wrong', () => {
    expect(violations((t) => { t.end_date_time = '2027-01-01T00:00:00.001Z'; })).toEqual([]);
    expect(violations((t) => { t.end_date_time = '2027-01-01T00:00:01'; })).toEqual([]);
    expect(violations((t) => { delete t.start_date_time; t.end_date_time = '2000-01-01T00:00:00Z'; })).toEqual([]);
    expect(violations((t) => { delete t.end_date_time; })).toEqual([]);
  });

  it('when several rules are broken, then each is named, prices first, then elements in order, then the validity period', () => {
    expect(violations((t) => {
      t.min_price = { excl_vat: 100 };
      t.elements[2].restrictions = { start_date: '2027-02-30', reservation: 'RESERVATION' };
      t.elements[0].restrictions.end_date = '2027-11-31';
      t.end_date_time = t.start_date_time;
    })).toEqual([
      '/min_price/excl_vat must not be above /max_price/excl_vat',
      '/elements/0/restrictions/end_date must be a calendar date',
      '/elements/2/restrictions/start_date must be a calendar date',
      '/elements/2/restrictions/reservation allows only FLAT and TIME price components, not PARKING_TIME (price_components/0)',
      '/end_date_time must be later than /start_date_time',
    ]);
  });
});
