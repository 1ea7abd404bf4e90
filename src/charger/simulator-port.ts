import { randomUUID } from 'node:crypto';
import { parseDateTime } from '../ocpi/pagination';
import type { Preconditions } from '../ocpi/preconditions';
import type { Logger } from '../platform/logger';
import type { CdrIssuing } from '../modules/cdrs/cdr-issuing.service';
import type { CommandResult, CommandResultType } from '../modules/commands/commands.schema';
import type { LocationAdminService } from '../modules/locations/location-admin.service';
import type { EvsePatch } from '../modules/locations/locations.schema';
import { idKey, type ConnectorNode, type EvseNode, type LocationNode } from '../modules/locations/location-tree';
import { connectorOf, evseOf } from '../modules/sessions/session-places';
import type { SessionInput } from '../modules/sessions/sessions.schema';
import type { SessionsService } from '../modules/sessions/sessions.service';
import type { ChargerCommand, ChargerPort } from './charger-port';
import { chargingPeriod, connectorPowerW, evseRefusal, pickEvse, roundKwh } from './simulated-charge';

/** A token as a command carries it (the fields a session's cdr_token takes). */
interface CommandToken {
  country_code: string;
  party_id: string;
  uid: string;
  type: string;
  contract_id: string;
}

export interface SimulatorDeps {
  location(id: string): Promise<LocationNode | undefined>;
  tariff(id: string): Promise<Record<string, unknown> | undefined>;
  locationAdmin: Pick<LocationAdminService, 'patchEvse'>;
  sessions: Pick<SessionsService, 'get' | 'put' | 'patch'>;
  cdrIssuing: Pick<CdrIssuing, 'issue'>;
  /** Records a command's outcome the way the CSMS's `POST /admin/commands/{id}/result` does. */
  report(id: string, result: CommandResult): Promise<unknown>;
  now: () => Date;
  /** Simulated seconds per real second. */
  speed: number;
  logger: Logger;
}

export interface SimulatorPort extends ChargerPort {
  /** Stops every timer and waits for the action in progress: nothing is written after it resolves. */
  close(): Promise<void>;
}

/** One simulated period is a minute of the charger's time. */
const PERIOD_S = 60;
/** A charger answers a command about a second after taking it. */
const ANSWER_DELAY_S = 1;
/** setTimeout's longest delay; longer waits (a reservation days ahead) are taken in steps. */
const MAX_TIMEOUT_MS = 2_147_483_647;

/** A session the simulator charges. */
interface Charge {
  id: string;
  locationId: string;
  evseUid: string;
  powerW: number;
  kwh: number;
  /** The end of the last reported period (the start of the next). */
  lastTick: Date;
  timer: Timer;
}

/** A reservation the simulator holds, by our reservation id. */
interface Reservation {
  sessionId: string;
  locationId: string;
  evseUid: string;
  token: CommandToken;
  timer: Timer;
}

type EvseStatus = NonNullable<EvsePatch['status']>;

/** A command's outcome, and what the charger does once it has reported it. */
type Acted = CommandResult & { after?: () => Promise<void> };

interface Timer {
  cancel(): void;
}

const ANY: Preconditions = { ifMatch: '*', createOnly: false };
const versionOf = (node: { version: number }): Preconditions => ({ ifMatch: node.version, createOnly: false });
const outcome = (result: CommandResultType, text?: string): CommandResult => ({ result, ...(text ? { message: [{ language: 'en', text }] } : {}) });
const sameToken = (a: CommandToken, b: CommandToken) =>
  idKey(a.country_code) === idKey(b.country_code) && idKey(a.party_id) === idKey(b.party_id) && idKey(a.uid) === idKey(b.uid);
const cdrToken = (token: CommandToken) => ({ country_code: token.country_code, party_id: token.party_id, uid: token.uid, type: token.type, contract_id: token.contract_id });

/**
 * The `simulator` charger port (ARCHITECTURE §9): a charge point model that takes every command and,
 * a simulated second later, acts on it as a charger would and reports the CommandResult through the
 * same result recording the CSMS uses. Every change goes through the services behind the admin API.
 * Actions run one at a time (commands, period ticks and expiries alike), so two commands never race
 * for one EVSE. State lives in memory: a restart drops it (README "Simulator").
 */
export function simulatorChargerPort(deps: SimulatorDeps): SimulatorPort {
  const { logger, speed, now } = deps;
  const charges = new Map<string, Charge>();
  const reservations = new Map<string, Reservation>();
  const timers = new Set<NodeJS.Timeout>();
  let chain: Promise<void> = Promise.resolve();
  let closed = false;

  /** Runs `task` after `simulatedMs` of the simulated clock. */
  function later(simulatedMs: number, task: () => Promise<void>): Timer {
    let handle: NodeJS.Timeout | undefined;
    const arm = (remaining: number) => {
      // Closed: an action finishing now schedules nothing more.
      if (closed) return;
      const step = Math.min(remaining, MAX_TIMEOUT_MS);
      handle = setTimeout(() => {
        timers.delete(handle!);
        if (remaining > step) arm(remaining - step);
        else run(task);
      }, step);
      handle.unref();
      timers.add(handle);
    };
    arm(Math.max(0, Math.ceil(simulatedMs / speed)));
    return {
      cancel: () => {
        if (handle) clearTimeout(handle);
        timers.delete(handle!);
      },
    };
  }

  /** Queues `task` behind every action before it. */
  function run(task: () => Promise<void>): void {
    chain = chain
      .then(() => (closed ? undefined : task()))
      .catch((error: Error) => void logger.error('simulator action failed', { error: error.message }));
  }

  async function placeOf(locationId: string, evseUid: string): Promise<{ location: LocationNode; evse: EvseNode } | undefined> {
    const location = await deps.location(locationId);
    const evse = evseOf(location, evseUid);
    return location && evse ? { location, evse } : undefined;
  }

  async function setEvseStatus(locationId: string, evseUid: string, status: EvseStatus, from?: string[]): Promise<void> {
    const place = await placeOf(locationId, evseUid);
    if (!place || place.evse.status === status || (from && !from.includes(place.evse.status))) return;
    await deps.locationAdmin.patchEvse(place.location.id, place.evse.uid, { status }, versionOf(place.evse));
  }

  async function currencyOf(connector: ConnectorNode): Promise<string> {
    const tariffId = (connector.data.tariff_ids as string[] | undefined)?.[0];
    const tariff = tariffId ? await deps.tariff(tariffId) : undefined;
    return (tariff?.currency as string | undefined) ?? 'EUR';
  }

  /** A new session of the simulator at `connector`: ACTIVE (charging) or RESERVATION. */
  async function newSession(status: 'ACTIVE' | 'RESERVATION', token: CommandToken, reference: string | undefined, location: LocationNode, evse: EvseNode, connector: ConnectorNode) {
    const id = `SIM-${randomUUID().replace(/-/g, '').slice(0, 12).toUpperCase()}`;
    const session: SessionInput = {
      id,
      start_date_time: now().toISOString(),
      kwh: 0,
      cdr_token: cdrToken(token) as SessionInput['cdr_token'],
      auth_method: 'COMMAND',
      ...(reference ? { authorization_reference: reference } : {}),
      location_id: location.id,
      evse_uid: evse.uid,
      connector_id: connector.id,
      currency: await currencyOf(connector),
      status,
    };
    await deps.sessions.put(id, session, { createOnly: true });
    return id;
  }

  function startCharging(id: string, locationId: string, evseUid: string, connector: ConnectorNode): void {
    const charge: Charge = { id, locationId, evseUid, powerW: connectorPowerW(connector), kwh: 0, lastTick: now(), timer: { cancel: () => {} } };
    charges.set(idKey(id), charge);
    const tick = async () => {
      if (charges.get(idKey(id)) !== charge) return;
      const at = now();
      const step = chargingPeriod(charge.lastTick, at, charge.powerW, speed);
      try {
        if (step) {
          const kwh = roundKwh(charge.kwh + step.kwh);
          await deps.sessions.patch(id, { kwh, charging_periods: [step.period] }, ANY);
          charge.kwh = kwh;
          charge.lastTick = at;
        }
      } catch (error) {
        // Completed or changed by the operator meanwhile: this charger stops driving it.
        charges.delete(idKey(id));
        logger.warn('simulator stopped charging a session it could not update', { session_id: id, error: (error as Error).message });
        return;
      }
      charge.timer = later(PERIOD_S * 1000, tick);
    };
    charge.timer = later(PERIOD_S * 1000, tick);
  }

  /** Ends a reservation: its session COMPLETED (no CDR: reservations are not priced), its EVSE AVAILABLE. */
  async function endReservation(reservationId: string, reservation: Reservation): Promise<void> {
    reservation.timer.cancel();
    reservations.delete(reservationId);
    await deps.sessions.patch(reservation.sessionId, { status: 'COMPLETED', end_date_time: now().toISOString() }, ANY);
    await setEvseStatus(reservation.locationId, reservation.evseUid, 'AVAILABLE', ['RESERVED']);
  }

  const heldReservation = (token: CommandToken, locationId: string, evseUid: string | undefined) =>
    [...reservations.entries()].find(([, r]) =>
      sameToken(r.token, token) && idKey(r.locationId) === idKey(locationId) && (evseUid === undefined || idKey(r.evseUid) === idKey(evseUid)));

  const handlers: Record<string, (body: Record<string, unknown>) => Promise<Acted>> = {
    async START_SESSION(body) {
      const token = body.token as CommandToken;
      const reference = body.authorization_reference as string | undefined;
      const location = await deps.location(body.location_id as string);
      if (!location) return outcome('FAILED', `Unknown location ${String(body.location_id)}`);
      const named = body.evse_uid as string | undefined;
      const held = heldReservation(token, location.id, named);
      let evse: EvseNode | undefined;
      if (held) evse = evseOf(location, held[1].evseUid);
      else if (named) evse = evseOf(location, named);
      else {
        const picked = pickEvse(location, 'REMOTE_START_STOP_CAPABLE');
        if (typeof picked === 'string') return outcome(picked, `No EVSE of location ${location.id} can start now`);
        evse = picked;
      }
      if (!evse) return outcome('FAILED', `Unknown EVSE ${String(named)}`);
      const refusal = held ? undefined : evseRefusal(evse.status);
      if (refusal) return outcome(refusal, `EVSE ${evse.uid} is ${evse.status}`);
      const connector = body.connector_id ? connectorOf(evse, body.connector_id as string) : evse.connectors[0];
      if (!connector) return outcome('FAILED', `EVSE ${evse.uid} has no such connector`);

      await deps.locationAdmin.patchEvse(location.id, evse.uid, { status: 'CHARGING' }, versionOf(evse));
      let sessionId: string;
      if (held) {
        // The driver who reserved arrives: the reservation's session starts charging.
        const [reservationId, reservation] = held;
        reservation.timer.cancel();
        reservations.delete(reservationId);
        sessionId = reservation.sessionId;
        await deps.sessions.patch(sessionId, { status: 'ACTIVE', connector_id: connector.id, ...(reference ? { authorization_reference: reference } : {}) }, ANY);
      } else {
        sessionId = await newSession('ACTIVE', token, reference, location, evse, connector);
      }
      startCharging(sessionId, location.id, evse.uid, connector);
      logger.info('simulator started charging', { session_id: sessionId, location_id: location.id, evse_uid: evse.uid, connector_id: connector.id });
      return outcome('ACCEPTED');
    },

    async STOP_SESSION(body) {
      const id = body.session_id as string;
      const held = [...reservations.entries()].find(([, r]) => idKey(r.sessionId) === idKey(id));
      if (held) {
        await endReservation(held[0], held[1]);
        return outcome('ACCEPTED');
      }
      const charge = charges.get(idKey(id));
      const at = now();
      if (charge) {
        charge.timer.cancel();
        charges.delete(idKey(id));
        const step = chargingPeriod(charge.lastTick, at, charge.powerW, speed);
        const last = step ? { kwh: roundKwh(charge.kwh + step.kwh), charging_periods: [step.period] } : {};
        await deps.sessions.patch(id, { status: 'COMPLETED', end_date_time: at.toISOString(), ...last }, ANY);
      } else {
        // Not charged by this simulator (reported through the admin API, or left by a restart): ended as it stands.
        await deps.sessions.patch(id, { status: 'COMPLETED', end_date_time: at.toISOString() }, ANY);
      }
      await setEvseStatus(body.location_id as string, body.evse_uid as string, 'AVAILABLE', ['CHARGING']);
      logger.info('simulator stopped charging', { session_id: id });
      // The outcome is the stop; the CDR follows it (issued from the session's seal, POSTed by the outbox).
      return { ...outcome('ACCEPTED'), after: async () => void (await deps.cdrIssuing.issue(id, {})) };
    },

    async RESERVE_NOW(body) {
      const reservationId = body.reservation_id as string;
      const token = body.token as CommandToken;
      const expiry = parseDateTime(body.expiry_date as string);
      const untilExpiry = expiry.getTime() - now().getTime();
      if (untilExpiry <= 0) return outcome('REJECTED', 'expiry_date has passed');
      const expire = () => async () => {
        const reservation = reservations.get(reservationId);
        if (reservation) await endReservation(reservationId, reservation);
      };
      const existing = reservations.get(reservationId);
      if (existing) {
        // The same reservation again: a new expiry (OCPI: RESERVE_NOW with a known reservation_id replaces it).
        existing.timer.cancel();
        existing.timer = later(untilExpiry, expire());
        return outcome('ACCEPTED');
      }
      const location = await deps.location(body.location_id as string);
      if (!location) return outcome('FAILED', `Unknown location ${String(body.location_id)}`);
      let evse: EvseNode | undefined;
      if (body.evse_uid) evse = evseOf(location, body.evse_uid as string);
      else {
        const picked = pickEvse(location, 'RESERVABLE');
        if (typeof picked === 'string') return outcome(picked, `No EVSE of location ${location.id} can be reserved now`);
        evse = picked;
      }
      if (!evse) return outcome('FAILED', `Unknown EVSE ${String(body.evse_uid)}`);
      const refusal = evseRefusal(evse.status);
      if (refusal) return outcome(refusal, `EVSE ${evse.uid} is ${evse.status}`);
      const connector = evse.connectors[0];
      if (!connector) return outcome('FAILED', `EVSE ${evse.uid} has no connector`);
      await deps.locationAdmin.patchEvse(location.id, evse.uid, { status: 'RESERVED' }, versionOf(evse));
      const sessionId = await newSession('RESERVATION', token, body.authorization_reference as string | undefined, location, evse, connector);
      reservations.set(reservationId, { sessionId, locationId: location.id, evseUid: evse.uid, token, timer: later(untilExpiry, expire()) });
      logger.info('simulator reserved', { session_id: sessionId, location_id: location.id, evse_uid: evse.uid, expiry_date: expiry.toISOString() });
      return outcome('ACCEPTED');
    },

    async CANCEL_RESERVATION(body) {
      const reservationId = body.reservation_id as string;
      const reservation = reservations.get(reservationId);
      if (!reservation) return outcome('UNKNOWN_RESERVATION', `No reservation ${reservationId} is held`);
      await endReservation(reservationId, reservation);
      return outcome('ACCEPTED');
    },

    async UNLOCK_CONNECTOR() {
      return outcome('ACCEPTED');
    },
  };

  async function act(command: ChargerCommand): Promise<void> {
    const handler = handlers[command.command];
    let result: Acted;
    try {
      result = handler ? await handler(command.body) : outcome('NOT_SUPPORTED');
    } catch (error) {
      logger.error('simulator could not carry out a command', { command: command.command, command_id: command.id, error: (error as Error).message });
      result = outcome('FAILED', 'The charge point could not carry out the command');
    }
    const { after, ...reported } = result;
    logger.info('simulator command result', { command: command.command, command_id: command.id, result: reported.result });
    try {
      await deps.report(command.id, reported);
    } catch (error) {
      logger.warn('simulator result not recorded', { command_id: command.id, error: (error as Error).message });
    }
    await after?.();
  }

  return {
    name: 'simulator',
    async forward(command: ChargerCommand): Promise<boolean> {
      if (closed) return false;
      later(ANSWER_DELAY_S * 1000, () => act(command));
      return true;
    },
    async close(): Promise<void> {
      closed = true;
      for (const handle of timers) clearTimeout(handle);
      timers.clear();
      await chain;
    },
  };
}
