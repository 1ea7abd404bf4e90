import { Type, type Static } from '@sinclair/typebox';
import { CredentialsToken } from '../modules/credentials/credentials.schema';
import { StringEnum, Url } from '../ocpi/types';

/** The roles a partner can register for with us (ARCHITECTURE §2); its tokens carry it. */
export const PartnerSlotRole = StringEnum(['EMSP', 'NSP', 'HUB', 'SCSP', 'NAP', 'OTHER']);
export type PartnerSlotRole = Static<typeof PartnerSlotRole>;

export const DEFAULT_PARTNER_ROLE: PartnerSlotRole = 'EMSP';

/** `POST /admin/partners`: the body is optional (no body: an eMSP slot). */
export const CreateSlot = Type.Object({ role: Type.Optional(PartnerSlotRole) }, { additionalProperties: false });

export const RegisterWithPartner = Type.Object(
  { versions_url: Url, token: CredentialsToken, role: Type.Optional(PartnerSlotRole) },
  { additionalProperties: false },
);

export const ResyncRequest = Type.Object({ module: Type.String({ minLength: 1, maxLength: 32 }) }, { additionalProperties: false });

/** `POST /admin/partners/{id}/sync`: which SENDER list to pull now. */
export const SyncRequest = Type.Object({ module: Type.String({ minLength: 1, maxLength: 32 }) }, { additionalProperties: false });

/** What `confirm` must say for a reconcile to purge the partner's copy. */
export const PURGE_CONFIRMATION = 'PURGE';

/** `POST /admin/partners/{id}/reconcile`: compare the partner's copy of `module` with ours; `purge` (with `confirm: "PURGE"`) clears it first. */
export const ReconcileRequest = Type.Object(
  {
    module: Type.String({ minLength: 1, maxLength: 32 }),
    purge: Type.Optional(Type.Boolean()),
    confirm: Type.Optional(Type.String({ maxLength: 32, description: `must be "${PURGE_CONFIRMATION}" when purge is true` })),
  },
  { additionalProperties: false },
);

export const DeliveriesQuery = Type.Object({
  status: Type.Optional(Type.Union([Type.Literal('pending'), Type.Literal('failed'), Type.Literal('delivered')])),
  module: Type.Optional(Type.String({ minLength: 1, maxLength: 32 })),
});

/** `POST /admin/partners/{id}/deliveries/retry`: which failed deliveries to queue again (none named: all). */
export const RetryRequest = Type.Object(
  { module: Type.Optional(Type.String({ minLength: 1, maxLength: 32 })), object: Type.Optional(Type.String({ minLength: 1, maxLength: 120 })) },
  { additionalProperties: false },
);
