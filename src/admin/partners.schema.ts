import { Type } from '@sinclair/typebox';
import { CredentialsToken } from '../modules/credentials/credentials.schema';
import { Url } from '../ocpi/types';

export const RegisterWithPartner = Type.Object(
  { versions_url: Url, token: CredentialsToken },
  { additionalProperties: false },
);


export const ResyncRequest = Type.Object({ module: Type.String({ minLength: 1, maxLength: 32 }) }, { additionalProperties: false });

export const DeliveriesQuery = Type.Object({ status: Type.Optional(Type.Union([Type.Literal('pending'), Type.Literal('failed')])) });
