import { createHash } from 'node:crypto';
import type { Location } from '../modules/locations/locations.schema';
import type { LocationsService } from '../modules/locations/locations.service';
import type { Tariff } from '../modules/tariffs/tariffs.schema';
import type { TariffsService } from '../modules/tariffs/tariffs.service';
import { locationFeature, type LocationFeature } from './location-feature';

/** Bump when the Feature's shape changes, so a client's cached copy under an old tag is not taken for current. */
const FEED_FORMAT = 1;

export interface OpenDataSources {
  locations: Pick<LocationsService, 'publishedPage' | 'publishedStamp'>;
  tariffs: Pick<TariffsService, 'namedByPublished' | 'publishedStamp'>;
  now: () => Date;
  /** Locations per keyset page: what the feed holds in memory at once. */
  pageSize: number;
}

function tariffIdsOf(locations: Location[]): string[] {
  return locations.flatMap((l) => (l.evses ?? []).flatMap((e) => e.connectors.flatMap((c) => c.tariff_ids ?? [])));
}

/** The anonymous GeoJSON view of the published locations (ARCHITECTURE §1.2's publish rule). */
export function createOpenDataService(sources: OpenDataSources) {
  return {
    /** The feed's entity tag (without the weak prefix), from one aggregate per table: no page is read. */
    async feedTag(): Promise<string> {
      const [locations, tariffs] = await Promise.all([sources.locations.publishedStamp(), sources.tariffs.publishedStamp()]);
      return `"${createHash('sha256').update(`${FEED_FORMAT}|${locations}|${tariffs}`).digest('base64url').slice(0, 27)}"`;
    },

    /** The published locations as Features, one keyset page at a time, with the tariffs that page's connectors name. */
    async *featurePages(): AsyncGenerator<LocationFeature[]> {
      for (let after: string | undefined; ;) {
        const rows = await sources.locations.publishedPage(after, sources.pageSize);
        if (rows.length === 0) return;
        const locations = rows.map((row) => JSON.parse(row.json) as Location);
        const tariffs = new Map<string, Tariff>((await sources.tariffs.namedByPublished(tariffIdsOf(locations))).map((t) => [t.id.toUpperCase(), t]));
        const now = sources.now();
        yield locations.map((location) => locationFeature(location, (id) => tariffs.get(id), now));
        if (rows.length < sources.pageSize) return;
        after = rows.at(-1)!.pk;
      }
    },
  };
}

export type OpenDataService = ReturnType<typeof createOpenDataService>;
