/**
 * One word for a location's marker, from its EVSEs' statuses (REMOVED ones left out before):
 * AVAILABLE when any EVSE is AVAILABLE; else OCCUPIED when any is CHARGING, BLOCKED or RESERVED (all the
 * usable ones are taken); else UNAVAILABLE when any is INOPERATIVE, OUTOFORDER or PLANNED; else UNKNOWN
 * (no EVSEs, or only UNKNOWN ones).
 */
export type Availability = 'AVAILABLE' | 'OCCUPIED' | 'UNAVAILABLE' | 'UNKNOWN';

const TAKEN = new Set(['CHARGING', 'BLOCKED', 'RESERVED']);
const OUT_OF_USE = new Set(['INOPERATIVE', 'OUTOFORDER', 'PLANNED']);

export function availabilityOf(statuses: string[]): Availability {
  if (statuses.includes('AVAILABLE')) return 'AVAILABLE';
  if (statuses.some((s) => TAKEN.has(s))) return 'OCCUPIED';
  if (statuses.some((s) => OUT_OF_USE.has(s))) return 'UNAVAILABLE';
  return 'UNKNOWN';
}
