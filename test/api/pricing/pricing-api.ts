import { expectOcpi } from '../../helpers/ocpi-assertions';
import { tariffBody } from '../../helpers/tariff-factory';
import type { PushNode } from '../push/push-harness';

/** Shared plumbing of the pricing api tests (not a test file itself). */

/** 0.30 per kWh and a 1.00 start fee, both with 20 % VAT: one element, so every interpretation agrees. */
export function simpleTariff(id: string, overrides: Record<string, unknown> = {}) {
  return tariffBody(id, {
    type: 'REGULAR',
    elements: [{ price_components: [{ type: 'FLAT', price: 1, vat: 20, step_size: 1 }, { type: 'ENERGY', price: 0.3, vat: 20, step_size: 1 }] }],
    ...overrides,
  });
}

export async function putTariff(node: PushNode, body: Record<string, unknown>): Promise<Record<string, any>> {
  const res = await node.admin.put(`/admin/tariffs/${String(body.id)}`, body);
  expect([200, 201]).toContain(res.status);
  expectOcpi(res, res.status, 1000);
  return res.body.data;
}

export const period = (start: string, kwh: number, hours?: number) => ({
  start_date_time: start,
  dimensions: [{ type: 'ENERGY', volume: kwh }, ...(hours === undefined ? [] : [{ type: 'TIME', volume: hours }])],
});
