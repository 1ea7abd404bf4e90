import { Type } from '@sinclair/typebox';
import { CredentialsToken } from '../modules/credentials/credentials.schema';
import { Url } from '../ocpi/types';

export const RegisterWithPartner = Type.Object(
  { versions_url: Url, token: CredentialsToken },
  { additionalProperties: false },
);

