import type { Credentials, CredentialsRole } from './credentials.schema';

export interface OurParty {
  countryCode: string;
  partyId: string;
  businessName: string;
  versionsUrl: string;
}

export function ourCredentials(party: OurParty, token: string): Credentials {
  return {
    token,
    url: party.versionsUrl,
    roles: [
      {
        role: 'CPO',
        business_details: { name: party.businessName },
        party_id: party.partyId,
        country_code: party.countryCode,
      },
    ],
  };
}

/** Digest §2.1: each (role, party_id, country_code) at most once. */
export function duplicateRoles(roles: CredentialsRole[]): string[] {
  const seen = new Set<string>();
  const duplicates: string[] = [];
  for (const r of roles) {
    const key = `${r.role} ${r.country_code.toUpperCase()}*${r.party_id.toUpperCase()}`;
    if (seen.has(key)) duplicates.push(key);
    seen.add(key);
  }
  return duplicates;
}
