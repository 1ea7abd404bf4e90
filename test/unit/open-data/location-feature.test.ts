import { adHocTariff } from '../../../src/open-data/ad-hoc-tariff';
import { availabilityOf } from '../../../src/open-data/availability';
import { maxPowerKw } from '../../../src/open-data/location-feature';
import { mapPagePolicy, mapPageHtml, tileSource } from '../../../src/open-data/map-page';
import type { Tariff } from '../../../src/modules/tariffs/tariffs.schema';

const tariff = (id: string, fields: Partial<Tariff> = {}): Tariff => ({
  country_code: 'NL', party_id: 'CPO', id, currency: 'EUR', elements: [{ price_components: [{ type: 'ENERGY', price: 0.3, step_size: 1 }] }], last_updated: '2027-01-01T00:00:00Z', ...fields,
});

describe('availabilityOf', () => {
  it.each([
    [['AVAILABLE', 'CHARGING', 'OUTOFORDER'], 'AVAILABLE'],
    [['CHARGING', 'RESERVED', 'BLOCKED'], 'OCCUPIED'],
    [['CHARGING', 'OUTOFORDER'], 'OCCUPIED'],
    [['INOPERATIVE', 'OUTOFORDER', 'PLANNED', 'UNKNOWN'], 'UNAVAILABLE'],
    [['UNKNOWN'], 'UNKNOWN'],
    [[], 'UNKNOWN'],
  ])('when the EVSEs are %j, then the location is %s', (statuses, expected) => {
    expect(availabilityOf(statuses)).toBe(expected);
  });
});

describe('maxPowerKw', () => {
  it('when max_electric_power is given, then it is used; else voltage x current x phases; to 0.1 kW', () => {
    expect(maxPowerKw({ max_electric_power: 22000, max_voltage: 230, max_amperage: 32, power_type: 'AC_3_PHASE' })).toBe(22);
    expect(maxPowerKw({ max_voltage: 230, max_amperage: 32, power_type: 'AC_3_PHASE' })).toBe(22.1);
    expect(maxPowerKw({ max_voltage: 230, max_amperage: 16, power_type: 'AC_1_PHASE' })).toBe(3.7);
    expect(maxPowerKw({ max_voltage: 0, max_amperage: 16, power_type: 'DC' })).toBeNull();
  });
});

describe('adHocTariff', () => {
  const now = new Date('2027-06-01T12:00:00Z');
  const byId = (...tariffs: Tariff[]) => (key: string) => tariffs.find((t) => t.id.toUpperCase() === key);

  it('when a connector names an AD_HOC_PAYMENT tariff, then it is the ad-hoc price, whatever the order', () => {
    const lookup = byId(tariff('REG', { type: 'REGULAR' }), tariff('ANY'), tariff('adhoc', { type: 'AD_HOC_PAYMENT' }));
    expect(adHocTariff(['REG', 'ANY', 'ADHOC'], lookup, now)?.id).toBe('adhoc');
  });

  it('when none is AD_HOC_PAYMENT, then a tariff without a type applies; contract and profile tariffs never do', () => {
    expect(adHocTariff(['REG', 'ANY'], byId(tariff('REG', { type: 'REGULAR' }), tariff('ANY')), now)?.id).toBe('ANY');
    expect(adHocTariff(['REG', 'FAST'], byId(tariff('REG', { type: 'REGULAR' }), tariff('FAST', { type: 'PROFILE_FAST' })), now)).toBeUndefined();
  });

  it('when the ad-hoc tariff is not in force now, then it is skipped', () => {
    const lookup = byId(
      tariff('OLD', { type: 'AD_HOC_PAYMENT', end_date_time: '2027-01-01T00:00:00Z' }),
      tariff('NEXT', { type: 'AD_HOC_PAYMENT', start_date_time: '2028-01-01T00:00:00' }),
      tariff('NOW', { type: 'AD_HOC_PAYMENT', start_date_time: '2027-01-01T00:00:00Z' }),
    );
    expect(adHocTariff(['OLD', 'NEXT', 'NOW'], lookup, now)?.id).toBe('NOW');
  });
});

describe('the map page', () => {
  it('when tiles come from subdomains, then the policy allows their host pattern and nothing else outside the node', () => {
    expect(tileSource('https://{s}.tile.example.org/{z}/{x}/{y}.png')).toBe('https://*.tile.example.org');
    expect(mapPagePolicy({ url: undefined, attribution: undefined })).toBe("default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
    expect(mapPagePolicy({ url: 'https://tile.example.org:8443/{z}/{x}/{y}.png', attribution: undefined })).toContain("img-src 'self' data: https://tile.example.org:8443;");
  });

  it('when the attribution holds markup, then the page carries it escaped', () => {
    const html = mapPageHtml({ url: 'https://t.example.org/{z}/{x}/{y}.png', attribution: '<script>alert("x")</script> & co' });
    expect(html).not.toContain('<script>alert');
    expect(html).toContain('data-tiles-attribution="&#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62; &#38; co"');
  });
});
