import { jsonEqual } from '../../platform/json-equal';
import type { DeliveryHandler, PushRequest } from '../../push/delivery-handler';
import { receiverUrl } from '../../push/delivery-handler';
import { idKey, type OcpiFields } from './location-tree';
import type { LocationStatesRepository } from './location-states.repository';
import type { OurIdentity } from './locations.service';

interface FieldChanges {
  changed: OcpiFields;
  /** A field the partner holds that is gone now: PATCH cannot remove data, so the object is PUT. */
  removed: boolean;
}

function fieldChanges(before: OcpiFields, after: OcpiFields, children: string): FieldChanges {
  const ignore = new Set([children, 'last_updated']);
  const changed: OcpiFields = {};
  for (const [key, value] of Object.entries(after)) {
    if (!ignore.has(key) && !jsonEqual(before[key], value)) changed[key] = value;
  }
  const removed = Object.keys(before).some((key) => !ignore.has(key) && after[key] === undefined);
  return { changed, removed };
}

const segment = (id: unknown) => encodeURIComponent(String(id));
const byId = (items: unknown, key: string) => new Map(((items as OcpiFields[]) ?? []).map((item) => [idKey(String(item[key])), item]));

const stamp = (request: PushRequest) => String((request.body as OcpiFields).last_updated);

/**
 * A receiver sets the parents' `last_updated` to that of any pushed child, so requests go out in
 * `last_updated` order (parents first on ties): every level then ends at our `last_updated`. A level
 * whose `last_updated` moved without a field change (changed and changed back) gets a PATCH of just
 * `last_updated`, unless a child request already carries it there.
 */
function inOrder(requests: PushRequest[]): PushRequest[] {
  const depth = (request: PushRequest) => request.url.split('/').length;
  return [...requests].sort((a, b) => stamp(a).localeCompare(stamp(b)) || depth(a) - depth(b));
}

function touch(requests: PushRequest[], below: PushRequest[], url: string, before: OcpiFields, after: OcpiFields, object: string): void {
  if (before.last_updated === after.last_updated || requests.some((r) => r.url === url)) return;
  if (below.some((r) => stamp(r) === after.last_updated)) return;
  requests.push({ method: 'PATCH', url, body: { last_updated: after.last_updated }, object });
}

/**
 * What a location's change becomes at an eMSP (digest §4): PUT of what it has not acknowledged,
 * otherwise PATCHes of the changed fields plus `last_updated` at the level that changed, and a PUT
 * where data was removed (a connector, or a field). Never a DELETE.
 */
export function locationRequests(url: string, acknowledged: OcpiFields | undefined, current: OcpiFields): PushRequest[] {
  const name = `location ${String(current.id)}`;
  if (!acknowledged) return [{ method: 'PUT', url, body: current, object: name }];
  const location = fieldChanges(acknowledged, current, 'evses');
  if (location.removed) return [{ method: 'PUT', url, body: current, object: name }];
  const requests: PushRequest[] = [];
  if (Object.keys(location.changed).length > 0) {
    requests.push({ method: 'PATCH', url, body: { ...location.changed, last_updated: current.last_updated }, object: name });
  }
  const ackedEvses = byId(acknowledged.evses, 'uid');
  const evseRequests: PushRequest[] = [];
  for (const evse of current.evses as OcpiFields[]) {
    const evseUrl = `${url}/${segment(evse.uid)}`;
    const evseName = `${name} EVSE ${String(evse.uid)}`;
    const before = ackedEvses.get(idKey(String(evse.uid)));
    const ackedConnectors = byId(before?.connectors, 'id');
    const connectors = evse.connectors as OcpiFields[];
    const connectorGone = [...ackedConnectors.keys()].some((key) => !connectors.some((c) => idKey(String(c.id)) === key));
    const own = before && fieldChanges(before, evse, 'connectors');
    if (!before || !own || own.removed || connectorGone) {
      evseRequests.push({ method: 'PUT', url: evseUrl, body: evse, object: evseName });
      continue;
    }
    const ofThisEvse: PushRequest[] = [];
    if (Object.keys(own.changed).length > 0) {
      ofThisEvse.push({ method: 'PATCH', url: evseUrl, body: { ...own.changed, last_updated: evse.last_updated }, object: evseName });
    }
    const connectorRequests: PushRequest[] = [];
    for (const connector of connectors) {
      const connectorUrl = `${evseUrl}/${segment(connector.id)}`;
      const connectorName = `${evseName} connector ${String(connector.id)}`;
      const old = ackedConnectors.get(idKey(String(connector.id)));
      const change = old && fieldChanges(old, connector, '');
      if (!old || !change || change.removed) connectorRequests.push({ method: 'PUT', url: connectorUrl, body: connector, object: connectorName });
      else if (Object.keys(change.changed).length > 0) {
        connectorRequests.push({ method: 'PATCH', url: connectorUrl, body: { ...change.changed, last_updated: connector.last_updated }, object: connectorName });
      }
    }
    touch(ofThisEvse, connectorRequests, evseUrl, before, evse, evseName);
    evseRequests.push(...ofThisEvse, ...connectorRequests);
  }
  touch(requests, evseRequests, url, acknowledged, current, name);
  return inOrder([...requests, ...evseRequests]);
}

/**
 * The tariffs the connectors in `requests` name (a location or EVSE PUT, a connector PUT or PATCH):
 * a partner must hold each before it receives them (digest §4, "push the Tariff object first").
 */
export function tariffsNamed(requests: PushRequest[]): string[] {
  const keys = new Set<string>();
  const connector = (fields: OcpiFields) => ((fields.tariff_ids as string[] | undefined) ?? []).forEach((id) => keys.add(idKey(id)));
  const list = (items: unknown) => (items as OcpiFields[] | undefined) ?? [];
  for (const { body } of requests) {
    const fields = (body ?? {}) as OcpiFields;
    connector(fields);
    list(fields.connectors).forEach(connector);
    list(fields.evses).forEach((evse) => list(evse.connectors).forEach(connector));
  }
  return [...keys];
}

export function locationsDeliveryHandler(states: LocationStatesRepository, us: OurIdentity): DeliveryHandler {
  return {
    module: 'locations',
    load: (objectKeys) => states.current(objectKeys),
    plan(partner, current, acknowledged) {
      const base = receiverUrl(partner, 'locations');
      if (!base || !current) return { requests: [], state: acknowledged };
      const location = current as OcpiFields;
      const url = `${base}/${segment(us.countryCode)}/${segment(us.partyId)}/${segment(location.id)}`;
      const requests = locationRequests(url, acknowledged as OcpiFields | undefined, location);
      return { requests, state: location, requires: { module: 'tariffs', objectKeys: tariffsNamed(requests) } };
    },
  };
}
