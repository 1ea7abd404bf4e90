import type { Partner } from '../../generated/prisma/client';
import type { Endpoint } from '../versions/versions.schema';
import type { CredentialsRole } from './credentials.schema';

export interface PartnerRecord {
  id: string;
  status: 'PENDING' | 'REGISTERED' | 'UNREGISTERED';
  versionsUrl: string | null;
  ocpiVersion: string | null;
  endpoints: Endpoint[];
  roles: CredentialsRole[];
  outboundToken: string | null;
  rowVersion: number;
  createdAt: Date;
  updatedAt: Date;
  registeredAt: Date | null;
}

export function toPartnerRecord(row: Partner): PartnerRecord {
  return {
    id: row.id,
    status: row.status,
    versionsUrl: row.versionsUrl,
    ocpiVersion: row.ocpiVersion,
    endpoints: row.endpoints as unknown as Endpoint[],
    roles: row.roles as unknown as CredentialsRole[],
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
    roles: partner.roles,
    versions_url: partner.versionsUrl,
    version: partner.ocpiVersion,
    endpoints: partner.endpoints,
    created_at: partner.createdAt.toISOString(),
    updated_at: partner.updatedAt.toISOString(),
    registered_at: partner.registeredAt?.toISOString() ?? null,
  };
}
