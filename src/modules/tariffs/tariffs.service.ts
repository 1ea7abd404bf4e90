import { OcpiError } from '../../ocpi/ocpi-error';
import { ourOwnerFields } from '../../ocpi/our-party';
import { parseDateTime, type Page, type PageRequest } from '../../ocpi/pagination';
import { checkNotStale, checkPreconditions, type Preconditions } from '../../ocpi/preconditions';
import type { Party } from '../../ocpi/routing-headers';
import { isPossibleId } from '../../ocpi/types';
import { OcpiStatus } from '../../ocpi/status-codes';
import { jsonEqual } from '../../platform/json-equal';
import { tariffData, tariffKey, tariffObject } from './tariffs.mapper';
import { TariffInUseError, type TariffJson, type TariffRecord, type TariffsRepository } from './tariffs.repository';
import { tariffRuleViolations, type Tariff, type TariffInput } from './tariffs.schema';

/** Partners see every tariff; anonymous open-data callers only those a published location's connector names. */
export interface TariffAudience {
  publishedOnly: boolean;
}

export function unknownTariff(id: string): OcpiError {
  return OcpiError.notFound(`Unknown tariff ${id}`, OcpiStatus.CLIENT_ERROR);
}

/** How many of the connectors naming a tariff a refused DELETE lists. */
const REFERENCES_SHOWN = 10;

function inUse(id: string, error: TariffInUseError): OcpiError {
  const named = error.references.map((r) => `${r.locationId}/${r.evseUid}/${r.connectorId}`);
  const shown = named.slice(0, REFERENCES_SHOWN);
  const by = shown.length > 0 ? `: ${shown.join(', ')}${named.length > REFERENCES_SHOWN ? ', ...' : ''}` : '';
  return new OcpiError(409, OcpiStatus.CLIENT_ERROR, `Tariff ${id} is named in the tariff_ids of connectors${by}`);
}

/** Tariffs for the OCPI sender interface and the admin API. */
export function createTariffsService(repository: TariffsRepository, us: Party) {
  const ours = (body: { country_code?: string; party_id?: string }) => ourOwnerFields(body, us);

  return {
    async get(id: string): Promise<TariffRecord> {
      const found = isPossibleId(id) ? await repository.find(tariffKey(id)) : undefined;
      if (!found) throw unknownTariff(id);
      return found;
    },

    list(audience: TariffAudience, request: PageRequest): Promise<Page<TariffJson>> {
      return repository.list(
        { publishedOnly: audience.publishedOnly, dateFrom: request.dateFrom, dateTo: request.dateTo },
        { offset: request.offset, limit: request.limit, after: request.after },
      );
    },

    /** Create or replace; a body equal to what is stored changes nothing (no new version, no push). */
    async put(id: string, body: TariffInput, pre: Preconditions): Promise<{ tariff: TariffRecord; created: boolean }> {
      if (tariffKey(body.id) !== tariffKey(id)) throw OcpiError.badRequest(`Invalid body: /id must equal the id in the path (${id})`);
      ours(body);
      const problems = tariffRuleViolations(body);
      if (problems.length > 0) throw OcpiError.badRequest(`Invalid body: ${problems.join('; ')}`);
      return repository.write(tariffKey(id), (stored) => {
        checkPreconditions(pre, stored?.version);
        const storedId = stored?.id ?? id;
        const data = tariffData({ ...body, id: storedId, country_code: us.countryCode, party_id: us.partyId });
        if (stored && jsonEqual(stored.data, data)) return undefined;
        checkNotStale(body.last_updated, stored?.lastUpdated, parseDateTime);
        return { id: storedId, countryCode: us.countryCode, partyId: us.partyId, data };
      });
    },

    /** Refused (409) while a connector names it: the receivers' DELETE means "no longer used" (digest §3.4.2). */
    async remove(id: string, pre: Preconditions): Promise<TariffRecord> {
      if (!isPossibleId(id)) throw unknownTariff(id);
      try {
        return await repository.remove(tariffKey(id), (stored) => {
          if (!stored) throw unknownTariff(id);
          checkPreconditions(pre, stored.version);
        });
      } catch (error) {
        if (error instanceof TariffInUseError) throw inUse(id, error);
        throw error;
      }
    },

    /**
     * The open-data view of tariffs a published connector names (the anonymous rule of `list`): callers pass
     * ids read from published connectors only. Absent ids are left out.
     */
    async namedByPublished(tariffIds: string[]): Promise<Tariff[]> {
      if (tariffIds.length === 0) return [];
      return (await repository.findMany([...new Set(tariffIds.map(tariffKey))])).map(tariffObject);
    },
    publishedStamp: repository.publishedStamp,

    /** The ids of `tariffIds` that name no stored tariff (connectors must name tariffs that exist). */
    async unknown(tariffIds: string[]): Promise<string[]> {
      const byKey = new Map(tariffIds.map((id) => [tariffKey(id), id]));
      return (await repository.missing([...byKey.keys()])).map((key) => byKey.get(key)!);
    },
  };
}

export type TariffsService = ReturnType<typeof createTariffsService>;
