import { Type, type Static } from '@sinclair/typebox';
import { OcpiError } from '../../ocpi/ocpi-error';
import { parseDateTime } from '../../ocpi/pagination';
import { OcpiStatus } from '../../ocpi/status-codes';
import { CiString } from '../../ocpi/types';
import { validate } from '../../ocpi/validate';
import { priceSession, type PricedSession } from '../../pricing';
import { priced } from '../tariffs/tariff-quote';
import { SESSION_ONLY_DIMENSIONS, type ChargingPeriod } from '../sessions/charging.schema';
import { sessionTariff } from '../sessions/session-tariff';
import type { SessionInput } from '../sessions/sessions.schema';
import type { SessionsService } from '../sessions/sessions.service';
import type { CdrRecord } from './cdrs.repository';
import { CdrInput, SignedData } from './cdrs.schema';
import type { CdrsService } from './cdrs.service';

/** `POST /admin/sessions/{id}/cdr`: the CDR's id (default: the session's) and the charger's signed meter values. */
export const IssueCdrRequest = Type.Object({ id: Type.Optional(CiString(36, { minLength: 1 })), signed_data: Type.Optional(SignedData) }, { additionalProperties: false });
export type IssueCdrRequest = Static<typeof IssueCdrRequest>;

const conflict = (message: string) => new OcpiError(409, OcpiStatus.CLIENT_ERROR, message);
const HOUR_MS = 3_600_000;

/** A CDR's periods: the session's, without the dimensions only a Session may carry, each under the tariff applied. */
function cdrPeriods(session: SessionInput, tariffId: string | undefined): ChargingPeriod[] {
  const periods = (session.charging_periods ?? []).flatMap((period) => {
    const dimensions = period.dimensions.filter((d) => !SESSION_ONLY_DIMENSIONS.includes(d.type));
    if (dimensions.length === 0) return [];
    return [{ start_date_time: period.start_date_time, dimensions, ...(tariffId ? { tariff_id: tariffId } : {}) }];
  });
  if (periods.length > 0) return periods;
  // A CDR needs a period; a session reported without any is one period of its energy and duration.
  const hours = (parseDateTime(session.end_date_time!).getTime() - parseDateTime(session.start_date_time).getTime()) / HOUR_MS;
  return [{ start_date_time: session.start_date_time, dimensions: [{ type: 'ENERGY', volume: session.kwh }, { type: 'TIME', volume: hours }], ...(tariffId ? { tariff_id: tariffId } : {}) }];
}

/** Without a tariff in force the node cannot price: the CSMS's own total_cost stands (0 when it sent none). */
function unpricedTotals(session: SessionInput): PricedSession {
  const hours = (parseDateTime(session.end_date_time!).getTime() - parseDateTime(session.start_date_time).getTime()) / HOUR_MS;
  return { total_cost: session.total_cost ?? { excl_vat: 0 }, total_energy: session.kwh, total_time: hours };
}

/**
 * Builds, prices and stores the CDR of a COMPLETED session (then delivered to its owner like any CDR):
 * its location and tariffs as sealed at the session's start, its periods, totals from `pricing/`.
 */
export function createCdrIssuing(sessions: Pick<SessionsService, 'get'>, cdrs: Pick<CdrsService, 'create'>) {
  return {
    async issue(sessionId: string, request: IssueCdrRequest): Promise<CdrRecord> {
      const record = await sessions.get(sessionId);
      const session = record.data as unknown as SessionInput;
      if (session.status !== 'COMPLETED') throw conflict(`Session ${record.id} is ${session.status}: its CDR is issued once it is COMPLETED`);
      if (!session.end_date_time) throw conflict(`Session ${record.id} has no end_date_time: report it with a PATCH first`);
      const seal = record.sealed;
      if (!seal) throw conflict(`Session ${record.id} never named an EVSE and connector: report its CDR through POST /admin/cdrs`);
      const tariff = sessionTariff(seal.tariffs, session);
      const totals = tariff
        ? priced(() => priceSession({
          tariff: tariff as never,
          startDateTime: session.start_date_time,
          endDateTime: session.end_date_time,
          chargingPeriods: session.charging_periods ?? [],
          timeZone: seal.time_zone,
        }))
        : unpricedTotals(session);
      const cdr = {
        id: request.id ?? record.id,
        start_date_time: session.start_date_time,
        end_date_time: session.end_date_time,
        session_id: record.id,
        cdr_token: session.cdr_token,
        auth_method: session.auth_method,
        authorization_reference: session.authorization_reference,
        cdr_location: seal.cdr_location,
        meter_id: session.meter_id,
        currency: (tariff?.currency as string | undefined) ?? session.currency,
        tariffs: tariff ? [tariff] : undefined,
        charging_periods: cdrPeriods(session, tariff?.id as string | undefined),
        signed_data: request.signed_data,
        ...totals,
      };
      // Checked like an operator's CDR: what the session carried must make a valid one.
      return cdrs.create(validate(CdrInput, Object.fromEntries(Object.entries(cdr).filter(([, value]) => value !== undefined))));
    },
  };
}

export type CdrIssuing = ReturnType<typeof createCdrIssuing>;
