import type { TSchema } from '@sinclair/typebox';
import { ourOwnerFields } from '../../ocpi/our-party';
import { OcpiError } from '../../ocpi/ocpi-error';
import { parseDateTime } from '../../ocpi/pagination';
import { checkNotStale, checkPreconditions, preconditionRequired, type Preconditions } from '../../ocpi/preconditions';
import { isPossibleId } from '../../ocpi/types';
import { problemsWith } from '../../ocpi/validate';
import { idKey, type LocationNode, type OcpiFields } from './location-tree';
import { connectorNodeFrom, evseNodeFrom, findConnector, findEvse, removedEvse, withConnector, withEvse } from './location-nodes';
import { connectorObject, evseObject, locationObject } from './locations.mapper';
import { DuplicateKeyError, type LocationsRepository } from './locations.repository';
import {
  Connector,
  Evse,
  Location,
  locationRuleViolations,
  type ConnectorInput,
  type ConnectorPatch,
  type EvseInput,
  type EvsePatch,
  type LocationInput,
  type LocationPatch,
} from './locations.schema';
import { unknownLocation, type OurIdentity } from './locations.service';

export interface WriteResult {
  tree: LocationNode;
  created: boolean;
}

function invalid(problems: string[]): OcpiError {
  return OcpiError.badRequest(`Invalid body: ${problems.join('; ')}`);
}

/** The object a write would leave behind must itself be a valid OCPI object. */
function mustConform(schema: TSchema, object: OcpiFields, extra: string[] = []): void {
  const problems = [...problemsWith(schema, object), ...extra];
  if (problems.length > 0) throw invalid(problems);
}

function sameId(pathId: string, bodyId: unknown, field: string): void {
  if (bodyId !== undefined && (typeof bodyId !== 'string' || idKey(bodyId) !== idKey(pathId))) {
    throw OcpiError.badRequest(`Invalid body: /${field} must equal the id in the path (${pathId})`);
  }
}

function uniqueIds(ids: string[], what: string): void {
  const seen = new Set<string>();
  for (const id of ids) {
    if (seen.has(idKey(id))) throw OcpiError.badRequest(`Invalid body: ${what} ${id} appears twice`);
    seen.add(idKey(id));
  }
}

/** Which of the given tariff ids name no stored tariff. */
export type UnknownTariffs = (tariffIds: string[]) => Promise<string[]>;

/** PostgreSQL's foreign_key_violation, from the pool (23503) or through Prisma (P2003): here, a tariff deleted meanwhile. */
const isForeignKeyViolation = (error: unknown) => ['23503', 'P2003'].includes((error as { code?: string }).code ?? '');

type WithTariffs = { tariff_ids?: string[] };

/** The operator's writes: every one a compare-and-set planned against the stored tree. */
export function createLocationAdminService(repository: LocationsRepository, us: OurIdentity, unknownTariffs: UnknownTariffs) {
  /** Connectors name only tariffs that exist (digest §6.21); the trigger behind connector_tariffs holds it under races. */
  async function tariffsExist(connectors: WithTariffs[]): Promise<void> {
    const named = [...new Set(connectors.flatMap((c) => c.tariff_ids ?? []))];
    const unknown = named.length > 0 ? await unknownTariffs(named) : [];
    if (unknown.length > 0) throw invalid([`tariff_ids name unknown tariffs: ${unknown.join(', ')}`]);
  }

  const ours = (body: { country_code?: string; party_id?: string }) => ourOwnerFields(body, us);

  /** EVSE uids are unique across the platform: which of `uids` another location holds, as the 409 to answer. */
  async function uidTaken(locationId: string, uids: string[]): Promise<OcpiError> {
    const owners = await repository.locationIdsOfEvses(uids);
    for (const [uid, owner] of owners) {
      if (idKey(owner) !== idKey(locationId)) return new OcpiError(409, 2000, `EVSE uid ${uid} belongs to location ${owner}`);
    }
    return new OcpiError(409, 2000, 'An EVSE uid in this body belongs to another location');
  }

  type Plan = (stored: LocationNode | undefined) => { desired: LocationNode; ifChanged?: () => void };

  /**
   * `existed` tells, from the stored tree, whether the addressed object was already there (200 vs 201).
   * A uid another location holds is found by the write itself (a unique key), and only then looked up
   * for the answer: an import's every PUT does not pay a query for it.
   */
  async function mutate(locationId: string, plan: Plan, existed: (before: LocationNode | undefined) => boolean, uids: string[] = []): Promise<WriteResult> {
    if (!isPossibleId(locationId)) throw unknownLocation(`location ${locationId}`);
    try {
      const { before, changes } = await repository.mutate(us.countryCode, us.partyId, locationId, plan);
      return { tree: changes.result, created: !existed(before) };
    } catch (error) {
      if (error instanceof DuplicateKeyError) throw await uidTaken(locationId, uids);
      if (isForeignKeyViolation(error)) throw invalid(['tariff_ids name a tariff that was deleted meanwhile']);
      throw error;
    }
  }

  const stale = (lastUpdated: string | undefined, stored: Date | undefined) => () => checkNotStale(lastUpdated, stored, parseDateTime);

  function existing(stored: LocationNode | undefined, locationId: string): LocationNode {
    if (!stored) throw unknownLocation(`location ${locationId}`);
    return stored;
  }

  return {
    async putLocation(id: string, body: LocationInput, pre: Preconditions): Promise<WriteResult> {
      sameId(id, body.id, 'id');
      const identity = ours(body);
      const { evses = [], last_updated, ...fields } = body;
      uniqueIds(evses.map((e) => e.uid), 'EVSE');
      evses.forEach((e) => uniqueIds(e.connectors.map((c) => c.id), `connector of EVSE ${e.uid}`));
      const problems = locationRuleViolations(body);
      if (problems.length > 0) throw invalid(problems);
      await tariffsExist(evses.flatMap((e) => e.connectors));
      return mutate(id, (stored) => {
        checkPreconditions(pre, stored?.version);
        const given = evses.map(evseNodeFrom);
        const keptUids = new Set(given.map((e) => idKey(e.uid)));
        const dropped = (stored?.evses ?? []).filter((e) => !keptUids.has(idKey(e.uid))).map(removedEvse);
        const data = { ...fields, ...identity };
        const desired = { countryCode: us.countryCode, partyId: us.partyId, id, publish: body.publish, data, lastUpdated: new Date(0), version: 0, evses: [...given, ...dropped] };
        return { desired, ifChanged: stale(last_updated, stored?.lastUpdated) };
      }, (before) => before !== undefined, evses.map((e) => e.uid));
    },

    async patchLocation(id: string, patch: LocationPatch, pre: Preconditions): Promise<WriteResult> {
      if (pre.ifMatch === undefined) throw preconditionRequired();
      sameId(id, patch.id, 'id');
      ours(patch);
      const { last_updated, country_code, party_id, ...fields } = patch;
      return mutate(id, (found) => {
        const stored = existing(found, id);
        checkPreconditions(pre, stored.version);
        const next = { ...stored, data: { ...stored.data, ...fields } };
        next.publish = next.data.publish as boolean;
        mustConform(Location, locationObject(next), locationRuleViolations(next.data));
        return { desired: next, ifChanged: stale(last_updated, stored.lastUpdated) };
      }, () => true);
    },

    async putEvse(locationId: string, uid: string, body: EvseInput, pre: Preconditions): Promise<WriteResult> {
      sameId(uid, body.uid, 'uid');
      uniqueIds(body.connectors.map((c) => c.id), 'connector');
      await tariffsExist(body.connectors);
      return mutate(locationId, (found) => {
        const stored = existing(found, locationId);
        const target = findEvse(stored, uid);
        checkPreconditions(pre, target?.version);
        const desired = withEvse(stored, evseNodeFrom({ ...body, uid: target?.uid ?? uid }));
        return { desired, ifChanged: stale(body.last_updated, target?.lastUpdated) };
      }, (before) => findEvse(before, uid) !== undefined, [uid]);
    },

    async patchEvse(locationId: string, uid: string, patch: EvsePatch, pre: Preconditions): Promise<WriteResult> {
      if (pre.ifMatch === undefined) throw preconditionRequired();
      sameId(uid, patch.uid, 'uid');
      const { last_updated, ...fields } = patch;
      return mutate(locationId, (found) => {
        const stored = existing(found, locationId);
        const target = findEvse(stored, uid);
        if (!target) throw unknownLocation(`EVSE ${uid} at location ${locationId}`);
        checkPreconditions(pre, target.version);
        const next = { ...target, data: { ...target.data, ...fields } };
        next.status = next.data.status as string;
        mustConform(Evse, evseObject(next));
        return { desired: withEvse(stored, next), ifChanged: stale(last_updated, target.lastUpdated) };
      }, () => true);
    },

    async removeEvse(locationId: string, uid: string, pre: Preconditions): Promise<WriteResult> {
      return mutate(locationId, (found) => {
        const stored = existing(found, locationId);
        const target = findEvse(stored, uid);
        if (!target) throw unknownLocation(`EVSE ${uid} at location ${locationId}`);
        checkPreconditions(pre, target.version);
        return { desired: withEvse(stored, removedEvse(target)) };
      }, () => true);
    },

    async putConnector(locationId: string, uid: string, connectorId: string, body: ConnectorInput, pre: Preconditions): Promise<WriteResult> {
      sameId(connectorId, body.id, 'id');
      await tariffsExist([body]);
      return mutate(locationId, (found) => {
        const stored = existing(found, locationId);
        const evse = findEvse(stored, uid);
        if (!evse) throw unknownLocation(`EVSE ${uid} at location ${locationId}`);
        const target = findConnector(evse, connectorId);
        checkPreconditions(pre, target?.version);
        const desired = withEvse(stored, withConnector(evse, connectorNodeFrom({ ...body, id: target?.id ?? connectorId })));
        return { desired, ifChanged: stale(body.last_updated, target?.lastUpdated) };
      }, (before) => findConnector(findEvse(before, uid), connectorId) !== undefined);
    },

    async patchConnector(locationId: string, uid: string, connectorId: string, patch: ConnectorPatch, pre: Preconditions): Promise<WriteResult> {
      if (pre.ifMatch === undefined) throw preconditionRequired();
      sameId(connectorId, patch.id, 'id');
      await tariffsExist([patch]);
      const { last_updated, ...fields } = patch;
      return mutate(locationId, (found) => {
        const stored = existing(found, locationId);
        const evse = findEvse(stored, uid);
        const target = findConnector(evse, connectorId);
        if (!evse || !target) throw unknownLocation(`connector ${connectorId} of EVSE ${uid}`);
        checkPreconditions(pre, target.version);
        const next = { ...target, data: { ...target.data, ...fields } };
        mustConform(Connector, connectorObject(next));
        return { desired: withEvse(stored, withConnector(evse, next)), ifChanged: stale(last_updated, target.lastUpdated) };
      }, () => true);
    },
  };
}

export type LocationAdminService = ReturnType<typeof createLocationAdminService>;
