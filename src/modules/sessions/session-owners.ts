import type { PartnerRepository } from '../credentials/partner.repository';
import type { TokenParty } from './sessions.repository';

/** The parties a partner holds (its credentials `roles`), upper-cased: whose sessions it owns. */
export type OwnersOf = (partnerId: string | undefined) => Promise<TokenParty[]>;

export function ownersFromPartners(partners: Pick<PartnerRepository, 'find'>): OwnersOf {
  return async (partnerId) => {
    const partner = partnerId ? await partners.find(partnerId) : undefined;
    if (!partner || partner.status !== 'REGISTERED') return [];
    return partner.roles.map((role) => ({ countryCode: role.country_code.toUpperCase(), partyId: role.party_id.toUpperCase() }));
  };
}
