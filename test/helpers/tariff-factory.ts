import request from 'supertest';
import type { TestApp } from './test-app';

/** Valid admin bodies for tariffs; override what a test is about. */
export function tariffBody(id: string, overrides: Record<string, unknown> = {}) {
  return {
    id,
    currency: 'EUR',
    type: 'AD_HOC_PAYMENT',
    elements: [{ price_components: [{ type: 'ENERGY', price: 0.39, vat: 21.0, step_size: 1 }] }],
    ...overrides,
  };
}

/** A tariff with every optional OCPI 2.2.1 field set, restrictions of every kind included. */
export function fullTariffBody(id: string, overrides: Record<string, unknown> = {}) {
  return {
    country_code: 'NL',
    party_id: 'CPO',
    id,
    currency: 'EUR',
    type: 'REGULAR',
    tariff_alt_text: [{ language: 'en', text: 'Night tariff applies 22:00-07:00' }, { language: 'nl', text: 'Nachttarief 22:00-07:00' }],
    tariff_alt_url: 'https://cpo.example.com/tariffs/full?lang=en',
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
    energy_mix: {
      is_green_energy: true,
      energy_sources: [{ source: 'SOLAR', percentage: 40 }, { source: 'WIND', percentage: 60 }],
      environ_impact: [{ category: 'CARBON_DIOXIDE', amount: 0 }],
      supplier_name: 'Green Power BV',
      energy_product_name: 'Wind & Sun',
    },
    ...overrides,
  };
}

/** Creates the tariffs (as the operator would) so that connectors may name them. */
export async function putTariffs(node: TestApp, ids: string[]): Promise<void> {
  for (const id of ids) {
    const res = await request(node.baseUrl).put(`/admin/tariffs/${id}`).set('Authorization', `Bearer ${node.adminToken}`).send(tariffBody(id));
    if (res.status !== 201 && res.status !== 200) throw new Error(`tariff ${id}: ${res.status} ${JSON.stringify(res.body)}`);
  }
}
