import type { ChargerPort } from '../../charger/charger-port';
import { OcpiError } from '../../ocpi/ocpi-error';
import type { Logger } from '../../platform/logger';
import type { LocationNode } from '../locations/location-tree';
import { isFinal } from '../sessions/session-lifecycle';
import { tokenPartyOf } from '../sessions/sessions.service';
import type { SessionRecord, TokenParty } from '../sessions/sessions.repository';
import { isRefusal, needCapability, needConnector, needOwnToken, placeFields, refuse, resolvePlace, type Place, type Refusal } from './command-checks';
import type { CommandRecord, CommandsRepository } from './commands.repository';
import { noCommandMetrics, type CommandRecorder } from './command-metrics';
import type {
  CancelReservation, CommandBody, CommandResponse, CommandResult, CommandType, ReserveNow, StartSession, StopSession, UnlockConnector,
} from './commands.schema';

/** Who sends a command: a partner and the parties it holds (upper-cased). */
export interface CommandCaller {
  partnerId: string;
  parties: TokenParty[];
}

/** The CommandResponse, and whether it is the 2003 answer (unknown location, EVSE or connector). */
export interface CommandAnswer {
  response: CommandResponse;
  unknownLocation: boolean;
}

/** What a checked command becomes: the fields the CSMS gets and the row keeps. */
interface Forward {
  body: Record<string, unknown>;
  place?: Place;
  reservationId?: string;
}

export interface CommandsDeps {
  repository: CommandsRepository;
  /** Undefined: no charger port configured, every command is NOT_SUPPORTED. */
  port: ChargerPort | undefined;
  location(id: string): Promise<LocationNode | undefined>;
  session(id: string): Promise<SessionRecord | undefined>;
  timeoutS: number;
  now: () => Date;
  logger: Logger;
  /** A result became due: wake the push worker. */
  wake: () => void;
  metrics?: CommandRecorder;
}

const withoutResponseUrl = ({ response_url: _url, ...rest }: Record<string, unknown>) => rest;

/** The Commands RECEIVER (digest §3.6): check, forward through the charger port, answer at once; results go out through the outbox. */
export function createCommandsService({ repository, port, location, session, timeoutS, now, logger, wake, metrics = noCommandMetrics }: CommandsDeps) {
  const answer = (result: CommandResponse['result'], message?: string, unknownLocation = false): CommandAnswer => ({
    response: { result, timeout: timeoutS, ...(message ? { message: [{ language: 'en', text: message }] } : {}) },
    unknownLocation,
  });

  async function placeOf(locationId: string, evseUid?: string, connectorId?: string): Promise<Place | Refusal> {
    return resolvePlace(await location(locationId), locationId, evseUid, connectorId);
  }

  const checks: { [T in CommandType]: (body: never, caller: CommandCaller) => Promise<Forward | Refusal> } = {
    async START_SESSION(body: StartSession, caller) {
      if (body.connector_id !== undefined && body.evse_uid === undefined) throw OcpiError.badRequest('Invalid body: /evse_uid is required when /connector_id is set');
      const place = await placeOf(body.location_id, body.evse_uid, body.connector_id);
      if (isRefusal(place)) return place;
      const refusal = needOwnToken(caller.parties, body.token) ?? needCapability(place, 'REMOTE_START_STOP_CAPABLE') ?? needConnector(place);
      return refusal ?? { body: { ...withoutResponseUrl(body), ...placeFields(place) }, place };
    },

    async STOP_SESSION(body: StopSession, caller) {
      const found = await session(body.session_id);
      if (!found) return refuse('UNKNOWN_SESSION', `Unknown session ${body.session_id}`);
      const owner = tokenPartyOf(found.data);
      if (!caller.parties.some((p) => p.countryCode === owner.countryCode && p.partyId === owner.partyId)) {
        return refuse('REJECTED', `Session ${body.session_id} is not of one of your parties`);
      }
      const data = found.data as { status: string; location_id: string; evse_uid: string; connector_id: string };
      if (isFinal(data.status)) return refuse('REJECTED', `Session ${body.session_id} is ${data.status}`);
      const fields = { session_id: found.id, location_id: data.location_id, evse_uid: data.evse_uid, connector_id: data.connector_id };
      return { body: fields };
    },

    async RESERVE_NOW(body: ReserveNow, caller) {
      const place = await placeOf(body.location_id, body.evse_uid);
      if (isRefusal(place)) return place;
      const refusal = needOwnToken(caller.parties, body.token) ?? needCapability(place, 'RESERVABLE');
      if (refusal) return refusal;
      const reservationId = await repository.reservationFor(caller.partnerId, body.reservation_id, place.location.id, place.evse?.uid);
      return { body: { ...withoutResponseUrl(body), reservation_id: reservationId, ...placeFields(place) }, place, reservationId };
    },

    async CANCEL_RESERVATION(body: CancelReservation, caller) {
      const reservation = await repository.findReservation(caller.partnerId, body.reservation_id);
      if (!reservation) return refuse('REJECTED', `Unknown reservation ${body.reservation_id}`);
      const fields = { reservation_id: reservation.id, location_id: reservation.locationId, ...(reservation.evseUid ? { evse_uid: reservation.evseUid } : {}) };
      return { body: fields, reservationId: reservation.id };
    },

    async UNLOCK_CONNECTOR(body: UnlockConnector) {
      const place = await placeOf(body.location_id, body.evse_uid, body.connector_id);
      if (isRefusal(place)) return place;
      return needCapability(place, 'UNLOCK_CAPABLE') ?? { body: { ...withoutResponseUrl(body), ...placeFields(place) }, place };
    },
  };

  /** Checks a command, forwards it to the CSMS and answers the CommandResponse. */
  async function decide(type: CommandType, body: CommandBody, caller: CommandCaller): Promise<CommandAnswer> {
    const log = { command: type, partner: caller.partnerId };
    if (!port) {
      logger.warn('command not supported: no charger port (set CSMS_WEBHOOK_URL)', log);
      return answer('NOT_SUPPORTED', 'This CPO forwards no commands to its chargers');
    }
    const checked = await checks[type](body as never, caller);
    if (isRefusal(checked)) {
      logger.info('command refused', { ...log, result: checked.refused, reason: checked.message });
      return answer(checked.refused, checked.message, checked.unknownLocation);
    }
    const fields = checked.body as { location_id?: string; evse_uid?: string; connector_id?: string };
    const record = await repository.accept({
      partnerId: caller.partnerId, command: type, request: body as unknown as Record<string, unknown>,
      locationId: fields.location_id, evseUid: fields.evse_uid, connectorId: fields.connector_id, reservationId: checked.reservationId,
      deadline: new Date(now().getTime() + timeoutS * 1000),
    });
    if (!(await port.forward({ id: record.id, command: type, body: checked.body }))) {
      await repository.refused(record.id);
      return answer('REJECTED', 'The charge point management system did not take the command');
    }
    logger.info('command accepted', { ...log, command_id: record.id });
    return answer('ACCEPTED');
  }

  return {
    async receive(type: CommandType, body: CommandBody, caller: CommandCaller): Promise<CommandAnswer> {
      const decided = await decide(type, body, caller);
      metrics.responded(type, decided.response.result);
      return decided;
    },

    async get(id: string): Promise<CommandRecord & { deliveredAt: Date | undefined }> {
      const record = await repository.find(id);
      if (!record) throw OcpiError.notFound(`Unknown command ${id}`);
      return { ...record, deliveredAt: await repository.deliveredAt(id) };
    },

    /** The CSMS's outcome of an accepted command, once (409 after that, and for a command not accepted). */
    async reportResult(id: string, result: CommandResult): Promise<CommandRecord> {
      const outcome = await repository.recordResult(id, result);
      if (outcome === 'unknown') throw OcpiError.notFound(`Unknown command ${id}`);
      if (outcome === 'known') throw new OcpiError(409, 2000, `Command ${id} has its result already, or was not accepted`);
      wake();
      metrics.resulted(outcome.command, result.result);
      return outcome;
    },
  };
}

export type CommandsService = ReturnType<typeof createCommandsService>;
