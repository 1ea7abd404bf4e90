import { Type, type Static } from '@sinclair/typebox';
import { BusinessDetails, CiString, Role, Url } from '../../ocpi/types';

export const CredentialsToken = Type.String({ minLength: 1, maxLength: 64, pattern: '^[\\x21-\\x7E]+$' });

export const CredentialsRole = Type.Object({
  role: Role,
  business_details: BusinessDetails,
  party_id: CiString(3, { minLength: 3 }),
  country_code: CiString(2, { minLength: 2 }),
});
export type CredentialsRole = Static<typeof CredentialsRole>;

export const Credentials = Type.Object({
  token: CredentialsToken,
  url: Url,
  roles: Type.Array(CredentialsRole, { minItems: 1 }),
});
export type Credentials = Static<typeof Credentials>;
