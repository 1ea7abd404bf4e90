import { OcpiError } from '../../ocpi/ocpi-error';
import { ourOwnerFields } from '../../ocpi/our-party';
import { parseDateTime, type Page, type PageRequest } from '../../ocpi/pagination';
import { checkNotStale, checkPreconditions, preconditionRequired, type Preconditions } from '../../ocpi/preconditions';
import type { Party } from '../../ocpi/routing-headers';
import { OcpiStatus } from '../../ocpi/status-codes';
import { isPossibleId } from '../../ocpi/types';
import { problemsWith } from '../../ocpi/validate';
import { jsonEqual } from '../../platform/json-equal';
import type { ChargingPeriod } from './charging.schema';
import { transitionRefusal } from './session-lifecycle';
import { checkPlaceExists, placeKey, type SessionPlaces } from './session-places';
import { sealOf } from './session-seal';
import { runningCost } from './running-cost';
import { sessionData, sessionKey } from './sessions.mapper';
import type { SessionDesired, SessionJson, SessionRecord, SessionsRepository, TokenParty } from './sessions.repository';
import { SessionInput, sessionRuleViolations, type SessionPatch, type SessionStatus } from './sessions.schema';

export function unknownSession(id: string): OcpiError {
  return OcpiError.notFound(`Unknown session ${id}`, OcpiStatus.CLIENT_ERROR);
}

type Data = Record<string, unknown>;
type Build = (stored: SessionRecord | undefined) => Data;

const periodsOf = (data: Data | undefined) => (data?.charging_periods as ChargingPeriod[] | undefined) ?? [];

/** Whether `after` keeps every period of `before`, in order, at its start (an append). */
const appends = (before: ChargingPeriod[], after: ChargingPeriod[]) =>
  after.length >= before.length && before.every((period, index) => jsonEqual(period, after[index]));

export function tokenPartyOf(data: Data): TokenParty {
  const token = data.cdr_token as { country_code: string; party_id: string };
  return { countryCode: token.country_code.toUpperCase(), partyId: token.party_id.toUpperCase() };
}

/** Sessions as the CSMS reports them through the admin API, and as their owners pull them. */
/**
 * The authorization_reference real-time authorization kept for a token at a location (tokens/authorize.service.ts),
 * for a session that arrives without one.
 */
export type ReferenceFor = (token: SessionInput['cdr_token'], locationId: string, start: string) => Promise<string | undefined>;

export function createSessionsService(repository: SessionsRepository, us: Party, places: SessionPlaces, now: () => Date, referenceFor?: ReferenceFor) {
  const ours = (body: { country_code?: string; party_id?: string }) => ourOwnerFields(body, us);

  /** The state a write would store: schema and rules checked on the whole session. */
  const checked = (data: Data): SessionInput => {
    const problems = problemsWith(SessionInput, data);
    if (problems.length > 0) throw OcpiError.badRequest(`Invalid body: ${problems.join('; ')}`);
    const rules = sessionRuleViolations(data as SessionInput);
    if (rules.length > 0) throw OcpiError.badRequest(`Invalid body: ${rules.join('; ')}`);
    return data as SessionInput;
  };

  /**
   * Plans the write twice: once on the state read now, to check the place it names exists (outside the
   * transaction: no second connection while one is held), and again inside the transaction on fresh state.
   */
  async function write(id: string, pre: Preconditions, lastUpdated: string | undefined, build: Build, replaces: boolean) {
    const key = sessionKey(id);
    const before = await repository.find(key);
    const draft = checked(sessionData(build(before)));
    const checkedPlace = placeKey(draft);
    const moved = !before || placeKey(before.data as unknown as SessionInput) !== checkedPlace;
    if (moved) await checkPlaceExists(places, draft);
    // Sealed when the session first names its EVSE and connector: its CDR shows them (and their tariffs) as they were then.
    const seal = moved || !before?.sealed ? await sealOf(places, draft) : undefined;
    return repository.write(key, (stored): SessionDesired | undefined => {
      checkPreconditions(pre, stored?.version);
      const session = checked(sessionData(build(stored)));
      const place = placeKey(session);
      if (place !== checkedPlace && (!stored || place !== placeKey(stored.data as unknown as SessionInput))) {
        throw new OcpiError(409, OcpiStatus.CLIENT_ERROR, 'The session changed while this write was checked: retry');
      }
      const sealed = stored?.sealed && placeKey(stored.data as unknown as SessionInput) === place ? undefined : seal;
      const cost = runningCost(session, sealed ?? stored?.sealed, now());
      const data = (cost ? sessionData({ ...session, total_cost: cost }) : session) as Data;
      // The running cost moves with the clock: a write that changes nothing else changes nothing.
      if (stored && jsonEqual(stored.data, cost ? { ...data, total_cost: stored.data.total_cost } : data)) return undefined;
      if (stored) {
        const refusal = transitionRefusal(stored.data.status as SessionStatus, session.status);
        if (refusal) throw new OcpiError(409, OcpiStatus.CLIENT_ERROR, refusal);
      }
      checkNotStale(lastUpdated, stored?.lastUpdated, parseDateTime);
      const periods = periodsOf(data);
      return {
        id: session.id,
        countryCode: us.countryCode,
        partyId: us.partyId,
        token: tokenPartyOf(data),
        status: session.status,
        data,
        periodCount: periods.length,
        periodsReplaced: replaces && !appends(periodsOf(stored?.data), periods),
        sealed,
      };
    });
  }

  const owned = (record: SessionRecord, owners: TokenParty[]) => {
    const party = tokenPartyOf(record.data);
    return owners.some((o) => o.countryCode === party.countryCode && o.partyId === party.partyId);
  };

  return {
    async get(id: string): Promise<SessionRecord> {
      const found = isPossibleId(id) ? await repository.find(sessionKey(id)) : undefined;
      if (!found) throw unknownSession(id);
      return found;
    },

    /** A session of one of `owners` (another party's answers as an unknown one). */
    async getOwned(id: string, owners: TokenParty[]): Promise<SessionRecord> {
      const found = isPossibleId(id) ? await repository.find(sessionKey(id)) : undefined;
      if (!found || !owned(found, owners)) throw unknownSession(id);
      return found;
    },

    /** `owners` undefined: every session (the admin view). */
    list(owners: TokenParty[] | undefined, request: PageRequest): Promise<Page<SessionJson>> {
      return repository.list(
        { owners, dateFrom: request.dateFrom, dateTo: request.dateTo },
        { offset: request.offset, limit: request.limit, after: request.after },
      );
    },

    /** Create or replace (periods included); a body equal to what is stored changes nothing. */
    async put(id: string, given: SessionInput, pre: Preconditions) {
      if (sessionKey(given.id) !== sessionKey(id)) throw OcpiError.badRequest(`Invalid body: /id must equal the id in the path (${id})`);
      ours(given);
      // Without a reference from the CSMS, the one the eMSP gave when it authorized this token here (digest §3.5.2).
      const kept = given.authorization_reference === undefined && referenceFor ? await referenceFor(given.cdr_token, given.location_id, given.start_date_time) : undefined;
      const body = kept === undefined ? given : { ...given, authorization_reference: kept };
      const build: Build = (stored) => ({ ...body, id: stored?.id ?? id, country_code: us.countryCode, party_id: us.partyId });
      return write(id, pre, body.last_updated, build, true);
    },

    /** Changes the fields given; `charging_periods` are appended to the stored ones (OCPI PATCH semantics). */
    patch(id: string, patch: SessionPatch, pre: Preconditions) {
      if (pre.ifMatch === undefined) throw preconditionRequired();
      if (patch.id !== undefined && sessionKey(patch.id) !== sessionKey(id)) throw OcpiError.badRequest(`Invalid body: /id must equal the id in the path (${id})`);
      ours(patch);
      if (!isPossibleId(id)) throw unknownSession(id);
      const build: Build = (stored) => {
        if (!stored) throw unknownSession(id);
        const appended = patch.charging_periods?.length ? [...periodsOf(stored.data), ...patch.charging_periods] : stored.data.charging_periods;
        return { ...stored.data, ...patch, id: stored.id, country_code: us.countryCode, party_id: us.partyId, charging_periods: appended };
      };
      return write(id, pre, patch.last_updated, build, false);
    },
  };
}

export type SessionsService = ReturnType<typeof createSessionsService>;
