import { holdsParty, type PartyRef } from '../credentials/partner.mapper';
import type { Party } from '../../ocpi/routing-headers';
import { jsonEqual } from '../../platform/json-equal';
import { receiverUrl, type DeliveryHandler, type PushRequest } from '../../push/delivery-handler';

type Fields = Record<string, unknown>;

const IGNORED = new Set(['charging_periods', 'last_updated']);
const periodsOf = (session: Fields) => (session.charging_periods as unknown[] | undefined) ?? [];

/**
 * What a session's change becomes at its owner (digest §4): a PUT of the whole Session it has not
 * acknowledged; otherwise a PATCH of the changed fields, the charging periods it does not hold yet (the
 * receiver appends them: old ones are never sent again) and `last_updated`; a PUT when data was removed
 * or the periods it holds were replaced.
 */
export function sessionRequests(url: string, acknowledged: Fields | undefined, current: Fields): PushRequest[] {
  const object = `session ${String(current.id)}`;
  const put: PushRequest[] = [{ method: 'PUT', url, body: current, object }];
  if (!acknowledged) return put;
  const held = periodsOf(acknowledged);
  const periods = periodsOf(current);
  const kept = held.length <= periods.length && held.every((period, i) => jsonEqual(period, periods[i]));
  const removed = Object.keys(acknowledged).some((key) => !IGNORED.has(key) && current[key] === undefined);
  if (!kept || removed) return put;
  const changed: Fields = {};
  for (const [key, value] of Object.entries(current)) if (!IGNORED.has(key) && !jsonEqual(acknowledged[key], value)) changed[key] = value;
  const added = periods.slice(held.length);
  if (added.length > 0) changed.charging_periods = added;
  if (Object.keys(changed).length === 0 && acknowledged.last_updated === current.last_updated) return [];
  return [{ method: 'PATCH', url, body: { ...changed, last_updated: current.last_updated }, object }];
}

/** Sessions go to their owner only: the partner holding the party of the session's `cdr_token`. */
export function sessionsDeliveryHandler(load: DeliveryHandler['load'], us: Party): DeliveryHandler {
  return {
    module: 'sessions',
    load,
    plan(partner, current, acknowledged) {
      const base = receiverUrl(partner, 'sessions');
      const session = current as Fields | undefined;
      if (!base || !session || !holdsParty(partner, session.cdr_token as PartyRef)) return { requests: [], state: acknowledged };
      const url = `${base}/${encodeURIComponent(us.countryCode)}/${encodeURIComponent(us.partyId)}/${encodeURIComponent(String(session.id))}`;
      return { requests: sessionRequests(url, acknowledged as Fields | undefined, session), state: session };
    },
  };
}
