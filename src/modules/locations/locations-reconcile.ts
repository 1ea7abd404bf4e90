import { OcpiError } from '../../ocpi/ocpi-error';
import { PartnerCallError } from '../../ocpi/outbound';
import { OcpiStatus } from '../../ocpi/status-codes';
import type { Logger } from '../../platform/logger';
import type { OutboxRepository } from '../../push/outbox.repository';
import type { PartnerRecord } from '../credentials/partner.mapper';
import { sameLocation } from './location-compare';
import { idKey, type OcpiFields } from './location-tree';
import type { LocationsReceiverClient } from './locations-receiver.client';
import type { OurIdentity } from './locations.service';
import { RECONCILE_SAMPLE_SIZE, type ReconcileReport } from './reconcile-report.schema';

export interface LocationsReconcileDeps {
  client: LocationsReceiverClient;
  /** Our current OCPI Location of each id key that exists: exactly what a full PUT sends (location-states.repository.ts). */
  current: (idKeys: string[]) => Promise<Map<string, OcpiFields>>;
  /** Every location's id key: what each partner with a locations RECEIVER is sent (the resync source). */
  allIds: () => Promise<string[]>;
  outbox: Pick<OutboxRepository, 'requeueWhole' | 'resync'>;
  us: OurIdentity;
  logger: Logger;
}

/** The answer that shows the partner lacks the extension (its first page, or the DELETE), or undefined: a failure of the partner. */
function lacksExtension(error: unknown): string | undefined {
  if (!(error instanceof PartnerCallError)) return undefined;
  const { kind, httpStatus, ocpiStatus } = error;
  if (kind === 'http-error' && (httpStatus === 404 || httpStatus === 405 || httpStatus === 501)) return `HTTP ${httpStatus}`;
  if (kind === 'http-error' && httpStatus === 400 && ocpiStatus !== undefined && ocpiStatus >= 2000 && ocpiStatus < 3000) return `HTTP 400 with status_code ${ocpiStatus}`;
  if (kind === 'ocpi-error') return `status_code ${ocpiStatus}`;
  if (kind === 'not-ocpi') return 'without an OCPI response';
  if (kind === 'invalid-data') return 'data that is not a list';
  return undefined;
}

function extensionMissing(partner: PartnerRecord, request: string, answered: string): OcpiError {
  return new OcpiError(422, OcpiStatus.CLIENT_ERROR, `Partner ${partner.id} does not offer the locations receiver list extension (${request} answered ${answered}): nothing queued`);
}

const sample = (list: string[], id: string) => void (list.length < RECONCILE_SAMPLE_SIZE && list.push(id));

/**
 * Reconciliation of a partner's copy of our locations (issue 13): its stored list compared object by
 * object with what we would PUT, and a full PUT queued for each location it misses or holds differently.
 */
export function createLocationsReconcile(deps: LocationsReconcileDeps) {
  const { client, outbox, us, logger } = deps;
  const same = (theirs: unknown, mine: string) => typeof theirs !== 'string' || theirs.toUpperCase() === mine.toUpperCase();
  /** A listed location of another party (its own country_code/party_id say so) is not one of ours. */
  const ours = (item: OcpiFields) => same(item.country_code, us.countryCode) && same(item.party_id, us.partyId);

  async function compare(partner: PartnerRecord): Promise<ReconcileReport> {
    const samples = { missing: [] as string[], different: [] as string[], extra: [] as string[] };
    const seen = new Set<string>();
    const toQueue: string[] = [];
    let [different, extra, pages] = [0, 0, 0];
    const isExtra = (id: unknown) => {
      extra += 1;
      if (typeof id === 'string') sample(samples.extra, id);
    };
    try {
      await client.forEachPage(partner, async ({ items }) => {
        pages += 1;
        const held = new Map<string, OcpiFields>();
        for (const item of items as OcpiFields[]) {
          const key = typeof item?.id === 'string' && ours(item) ? idKey(item.id) : undefined;
          if (key === undefined || seen.has(key) || held.has(key)) isExtra(item?.id);
          else held.set(key, item);
        }
        const current = await deps.current([...held.keys()]);
        for (const [key, item] of held) {
          const mine = current.get(key);
          if (!mine) {
            isExtra(item.id);
            continue;
          }
          seen.add(key);
          if (sameLocation(item, mine)) continue;
          different += 1;
          toQueue.push(key);
          sample(samples.different, key);
        }
      });
    } catch (error) {
      const answered = pages === 0 ? lacksExtension(error) : undefined;
      if (answered) throw extensionMissing(partner, `GET ${client.partyUrl(partner)}`, answered);
      throw error;
    }
    let missing = 0;
    for (const key of await deps.allIds()) {
      if (seen.has(key)) continue;
      missing += 1;
      toQueue.push(key);
      sample(samples.missing, key);
    }
    const queued = await outbox.requeueWhole(partner.id, 'locations', toQueue);
    logger.info('locations reconciled', { partner: partner.id, pages, missing, different, extra, queued });
    return { missing, different, extra, queued, samples };
  }

  /** The partner forgets our locations, then gets each whole again (a full resync). */
  async function purge(partner: PartnerRecord): Promise<ReconcileReport> {
    logger.warn("purging the partner's copy of our locations", { partner: partner.id, module: 'locations' });
    try {
      await client.purge(partner);
    } catch (error) {
      const answered = lacksExtension(error);
      if (answered) throw extensionMissing(partner, `DELETE ${client.partyUrl(partner)}`, answered);
      throw error;
    }
    const keys = await deps.allIds();
    const queued = await outbox.resync(partner.id, 'locations', keys);
    logger.warn("partner's copy of our locations purged, full resync queued", { partner: partner.id, module: 'locations', queued });
    return { missing: keys.length, different: 0, extra: 0, queued };
  }

  return {
    reconcile: (partner: PartnerRecord, options: { purge: boolean }) => (options.purge ? purge(partner) : compare(partner)),
  };
}
