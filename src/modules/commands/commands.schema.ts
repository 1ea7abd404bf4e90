import { Type, type Static } from '@sinclair/typebox';
import { CiString, DateTime, StrictDisplayText, StringEnum, Url } from '../../ocpi/types';
import { Token } from '../tokens/tokens.schema';

/** OCPI 2.2.1 Commands (digest §3.6). */

const strict = { additionalProperties: false } as const;

// ---- enums (§3.6.4) ----

export const COMMAND_TYPES = ['CANCEL_RESERVATION', 'RESERVE_NOW', 'START_SESSION', 'STOP_SESSION', 'UNLOCK_CONNECTOR'] as const;
export const CommandType = StringEnum([...COMMAND_TYPES]);
export type CommandType = Static<typeof CommandType>;
export const CommandResponseType = StringEnum(['NOT_SUPPORTED', 'REJECTED', 'ACCEPTED', 'UNKNOWN_SESSION']);
export type CommandResponseType = Static<typeof CommandResponseType>;
export const CommandResultType = StringEnum([
  'ACCEPTED', 'CANCELED_RESERVATION', 'EVSE_OCCUPIED', 'EVSE_INOPERATIVE', 'FAILED', 'NOT_SUPPORTED', 'REJECTED', 'TIMEOUT', 'UNKNOWN_RESERVATION',
]);
export type CommandResultType = Static<typeof CommandResultType>;

// ---- request bodies (§3.6.3) ----

const id = CiString(36, { minLength: 1 });

export const StartSession = Type.Object({
  response_url: Url,
  token: Token,
  location_id: id,
  evse_uid: Type.Optional(id),
  connector_id: Type.Optional(id),
  authorization_reference: Type.Optional(id),
}, strict);

export const StopSession = Type.Object({ response_url: Url, session_id: id }, strict);

export const ReserveNow = Type.Object({
  response_url: Url,
  token: Token,
  expiry_date: DateTime,
  reservation_id: id,
  location_id: id,
  evse_uid: Type.Optional(id),
  authorization_reference: Type.Optional(id),
}, strict);

export const CancelReservation = Type.Object({ response_url: Url, reservation_id: id }, strict);

export const UnlockConnector = Type.Object({ response_url: Url, location_id: id, evse_uid: id, connector_id: id }, strict);

/** The body each command's path expects. */
export const COMMAND_BODIES = {
  START_SESSION: StartSession,
  STOP_SESSION: StopSession,
  RESERVE_NOW: ReserveNow,
  CANCEL_RESERVATION: CancelReservation,
  UNLOCK_CONNECTOR: UnlockConnector,
} as const;

export type StartSession = Static<typeof StartSession>;
export type StopSession = Static<typeof StopSession>;
export type ReserveNow = Static<typeof ReserveNow>;
export type CancelReservation = Static<typeof CancelReservation>;
export type UnlockConnector = Static<typeof UnlockConnector>;
export type CommandBody = StartSession | StopSession | ReserveNow | CancelReservation | UnlockConnector;

// ---- answers ----

export const CommandResponse = Type.Object({
  result: CommandResponseType,
  timeout: Type.Integer({ minimum: 0 }),
  message: Type.Optional(Type.Array(StrictDisplayText)),
}, strict);
export type CommandResponse = Static<typeof CommandResponse>;

/** The CommandResult POSTed bare to `response_url`; also what the CSMS reports (`POST /admin/commands/{id}/result`). */
export const CommandResult = Type.Object({
  result: CommandResultType,
  message: Type.Optional(Type.Array(StrictDisplayText)),
}, strict);
export type CommandResult = Static<typeof CommandResult>;
