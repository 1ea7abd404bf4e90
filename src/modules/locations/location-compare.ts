import { jsonEqual } from '../../platform/json-equal';
import { idKey, type OcpiFields } from './location-tree';

/** An OCPI DateTime as an instant (ms); OCPI DateTimes without a zone are UTC. Not a DateTime: kept as it is. */
function instant(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const zoned = /(Z|[+-]\d{2}:?\d{2})$/i.test(value) ? value : `${value}Z`;
  const ms = Date.parse(zoned);
  return Number.isNaN(ms) ? value : ms;
}

const byKey = (field: string) => (a: unknown, b: unknown): number => {
  const key = (item: unknown) => idKey(String((item as OcpiFields | null)?.[field] ?? ''));
  return key(a).localeCompare(key(b));
};

/**
 * The form two copies of a location are compared in: a `null` field is an absent one, `last_updated`
 * (at every level) is compared as an instant, EVSEs in `uid` order and connectors in `id` order (the
 * order a receiver keeps them in is not ours to decide). Every other field, and every other list's
 * order, counts as sent.
 */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value !== 'object' || value === null) return value;
  const out: OcpiFields = {};
  for (const [key, field] of Object.entries(value as OcpiFields)) {
    if (field === null || field === undefined) continue;
    if (key === 'last_updated') out[key] = instant(field);
    else if (key === 'evses' && Array.isArray(field)) out[key] = [...field].sort(byKey('uid')).map(canonical);
    else if (key === 'connectors' && Array.isArray(field)) out[key] = [...field].sort(byKey('id')).map(canonical);
    else out[key] = canonical(field);
  }
  return out;
}

/** Whether the partner's copy of a location holds what we would PUT (see `canonical` for what is not a difference). */
export function sameLocation(theirs: unknown, ours: OcpiFields): boolean {
  return jsonEqual(canonical(theirs), canonical(ours));
}
