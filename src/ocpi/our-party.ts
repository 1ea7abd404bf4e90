import { OcpiError } from './ocpi-error';
import type { Party } from './routing-headers';

/**
 * The owner fields of an object we (the CPO) own: when the operator's body gives `country_code` or
 * `party_id`, they must be ours (in any case); either way the object carries ours.
 */
export function ourOwnerFields(body: { country_code?: string; party_id?: string }, us: Party): { country_code: string; party_id: string } {
  for (const [field, value, expected] of [['country_code', body.country_code, us.countryCode], ['party_id', body.party_id, us.partyId]] as const) {
    if (value !== undefined && value.toUpperCase() !== expected) throw OcpiError.badRequest(`Invalid body: /${field} must be ${expected}`);
  }
  return { country_code: us.countryCode, party_id: us.partyId };
}
