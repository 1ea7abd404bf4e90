import type { TokenRecord } from './tokens.repository';
import { TOKEN_FIELD_ORDER, type Token, type TokenType } from './tokens.schema';

/** Which token a request names: the path's ids and the `type` query parameter. */
export interface TokenPath {
  countryCode: string;
  partyId: string;
  uid: string;
  type: TokenType;
}

/** A token's row key: ids upper-cased (CiStrings compare case-insensitively), the type as it is (enums do not). */
export interface TokenKey {
  countryCode: string;
  partyId: string;
  uidKey: string;
  type: TokenType;
}

export const tokenKey = (path: TokenPath): TokenKey => ({
  countryCode: path.countryCode.toUpperCase(),
  partyId: path.partyId.toUpperCase(),
  uidKey: path.uid.toUpperCase(),
  type: path.type,
});

export const pathOfToken = (token: Pick<Token, 'country_code' | 'party_id' | 'uid' | 'type'>): TokenPath => ({
  countryCode: token.country_code,
  partyId: token.party_id,
  uid: token.uid,
  type: token.type,
});

/** Absent and null both mean "not set" (digest §0): neither is stored. */
function withoutNulls(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null && v !== undefined));
}

/** A token's OCPI fields in the spec's order, without `last_updated` and unset fields (what is stored as `data`). */
export function tokenData(fields: Record<string, unknown>): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  for (const field of TOKEN_FIELD_ORDER) {
    const value = fields[field];
    if (field === 'last_updated' || value === undefined || value === null) continue;
    data[field] = field === 'energy_contract' ? withoutNulls(value as Record<string, unknown>) : value;
  }
  return data;
}

export function tokenObject(record: Pick<TokenRecord, 'data' | 'lastUpdated'>): Token {
  return { ...record.data, last_updated: record.lastUpdated.toISOString() } as Token;
}
