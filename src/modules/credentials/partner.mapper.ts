import type { Partner, TokenRole } from '../../generated/prisma/client';
import type { PartnerRole } from '../../ocpi/auth';
import type { Endpoint } from '../versions/versions.schema';
import type { CredentialsRole } from './credentials.schema';

export interface PartnerRecord {
  id: string;
  status: 'PENDING' | 'REGISTERED' | 'UNREGISTERED';
  versionsUrl: string | null;
  ocpiVersion: string | null;
  endpoints: Endpoint[];
  roles: CredentialsRole[];
  /** The role its tokens carry (for a pending partner: the role it will hold); null if it never had a token. */
  role: PartnerRole | null;
  outboundToken: string | null;
  rowVersion: number;
  createdAt: Date;
  updatedAt: Date;
  registeredAt: Date | null;
}

/** The partner row with its latest token's role (every token of a partner carries the same role). */
export type PartnerRow = Partner & { tokens: { role: TokenRole }[] };

function partnerRole(row: PartnerRow): PartnerRole | null {
  const role = row.tokens[0]?.role;
  return role === undefined || role === 'ADMIN' ? null : role;
}

export function toPartnerRecord(row: PartnerRow): PartnerRecord {
  return {
    id: row.id,
    status: row.status,
    versionsUrl: row.versionsUrl,
    ocpiVersion: row.ocpiVersion,
    endpoints: row.endpoints as unknown as Endpoint[],
    roles: row.roles as unknown as CredentialsRole[],
    role: partnerRole(row),
    outboundToken: row.outboundToken,
    rowVersion: row.rowVersion,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    registeredAt: row.registeredAt,
  };
}

/** The partner as the admin API shows it: never a token. */
export function toAdminPartner(partner: PartnerRecord) {
  return {
    id: partner.id,
    status: partner.status,
    role: partner.role,
    roles: partner.roles,
    versions_url: partner.versionsUrl,
    version: partner.ocpiVersion,
    endpoints: partner.endpoints,
    created_at: partner.createdAt.toISOString(),
    updated_at: partner.updatedAt.toISOString(),
    registered_at: partner.registeredAt?.toISOString() ?? null,
  };
}

/** The role a partner's new tokens get: the one it holds (a pending partner: the one it will hold). */
export function heldRole(partner: PartnerRecord): PartnerRole {
  if (!partner.role) throw new Error(`partner ${partner.id} has no token, so no role`);
  return partner.role;
}

/** A party as objects name it (a CdrToken's `country_code`/`party_id`). */
export interface PartyRef {
  country_code: string;
  party_id: string;
}

/**
 * Whether `party` is one of the partner's roles (ids compare case-insensitively): it owns the sessions and
 * CDRs of that party's tokens (ARCHITECTURE §2), and only it receives or reads them.
 */
export function holdsParty(partner: Pick<PartnerRecord, 'roles'>, party: PartyRef): boolean {
  const cc = party.country_code.toUpperCase();
  const pid = party.party_id.toUpperCase();
  return partner.roles.some((role) => role.country_code.toUpperCase() === cc && role.party_id.toUpperCase() === pid);
}
