import type { Party } from '../../ocpi/routing-headers';
import { jsonEqual } from '../../platform/json-equal';
import { receiverUrl, type DeliveryHandler } from '../../push/delivery-handler';
import { tariffObject } from './tariffs.mapper';
import type { TariffsRepository } from './tariffs.repository';

const segment = (id: string) => encodeURIComponent(id);

/**
 * What a tariff's change becomes at a partner (digest §4): the whole Tariff PUT whenever it differs
 * from what the partner acknowledged (there is no PATCH for tariffs), a DELETE once it is gone.
 */
export function tariffsDeliveryHandler(repository: TariffsRepository, us: Party): DeliveryHandler {
  return {
    module: 'tariffs',
    async load(objectKeys) {
      const records = await repository.findMany(objectKeys);
      return new Map(records.map((record) => [record.idKey, tariffObject(record)]));
    },
    plan(partner, current, acknowledged, objectKey) {
      const base = receiverUrl(partner, 'tariffs');
      if (!base) return { requests: [], state: acknowledged };
      const held = acknowledged as { id?: string } | undefined;
      const id = (current as { id: string } | undefined)?.id ?? held?.id ?? objectKey;
      const url = `${base}/${segment(us.countryCode)}/${segment(us.partyId)}/${segment(id)}`;
      const object = `tariff ${id}`;
      // Gone: DELETE whatever we know of the partner's copy; one it never held answers 404, which counts as done.
      if (!current) return { requests: [{ method: 'DELETE', url, object }], state: undefined };
      if (jsonEqual(acknowledged, current)) return { requests: [], state: current };
      return { requests: [{ method: 'PUT', url, body: current, object }], state: current };
    },
  };
}
