import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import request from 'supertest';
import type { TestApp } from '../../helpers/test-app';

/** Shared plumbing of the metrics api tests (not a test file itself). */

type Family = ReturnType<typeof parsePrometheusTextFormat>[number];
type Sample = Family['metrics'][number];

/** A scrape as an independent parser reads Prometheus' text format. */
export interface Scrape {
  /** Every family, a histogram's `_bucket`, `_sum` and `_count` samples as families of their own. */
  families: Family[];
  /** The type each family declared. */
  types: Map<string, Family['type']>;
  /** The samples of `name` whose labels include `labels`. */
  samples(name: string, labels?: Record<string, string>): Sample[];
  /** The value of the one sample of `name` with exactly `labels` (undefined when there is none). */
  value(name: string, labels?: Record<string, string>): number | undefined;
  /** Observations counted by the histogram series of `name` with exactly `labels` (0 when there is none). */
  observations(name: string, labels: Record<string, string>): number;
}

const sameLabels = (sample: Sample, labels: Record<string, string>) => {
  const have = sample.labels ?? {};
  return Object.keys(have).length === Object.keys(labels).length && Object.entries(labels).every(([k, v]) => have[k] === v);
};

/**
 * The parser merges the series of a histogram that has labels into one (it only handles unlabelled
 * ones), so histograms are read as their plain samples: the text once more without their TYPE lines.
 */
export function parseScrape(text: string): Scrape {
  const types = new Map(parsePrometheusTextFormat(text).map((f) => [f.name, f.type]));
  const families = parsePrometheusTextFormat(text.replace(/^# TYPE \S+ histogram$/gm, ''));
  // Without its TYPE, each series of a histogram comes as families of its own: `name` gathers them.
  const ofName = (name: string) => families.filter((f) => f.name === name).flatMap((f) => f.metrics);
  const exact = (name: string, labels: Record<string, string>) => {
    const found = ofName(name).filter((s) => sameLabels(s, labels));
    expect(found.length).toBeLessThanOrEqual(1);
    return found[0];
  };
  return {
    families,
    types,
    samples: (name, labels = {}) => ofName(name).filter((s) => Object.entries(labels).every(([k, v]) => s.labels?.[k] === v)),
    value(name, labels = {}) {
      const sample = exact(name, labels);
      return sample?.value === undefined ? undefined : Number(sample.value);
    },
    observations(name, labels) {
      expect(types.get(name)).toBe('HISTOGRAM');
      return Number(exact(`${name}_count`, labels)?.value ?? 0);
    },
  };
}

/** `GET /metrics` with the admin token: 200 in Prometheus' text format, parsed. */
export async function scrape(node: TestApp): Promise<Scrape> {
  const res = await request(node.app).get('/metrics').set('Authorization', `Bearer ${node.adminToken}`);
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
  return parseScrape(res.text);
}

/** Every label value of every series in the scrape. */
export const labelValues = (scraped: Scrape): string[] => scraped.families.flatMap((f) => f.metrics.flatMap((s) => Object.values(s.labels ?? {})));
