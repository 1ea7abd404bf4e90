import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Logger } from './logger';

export type Labels<L extends string> = Record<L, string | number>;

/** A value read at scrape time, with its labels. */
export interface Sample<L extends string> {
  labels: Labels<L>;
  value: number;
}

export interface CounterMetric<L extends string> {
  inc(labels: Labels<L>, by?: number): void;
}

export interface HistogramMetric<L extends string> {
  observe(labels: Labels<L>, value: number): void;
}

/** Seconds: from a millisecond up to the longest partner timeout. */
export const LATENCY_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

/**
 * The standard process and Node.js metrics, collected once per process: each collection starts an
 * event-loop delay monitor (a 10 ms timer) and a GC observer that nothing can stop, so one per app
 * would pile up where a process builds many apps (the tests).
 */
let processRegistry: Registry | undefined;
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

/**
 * The node's metrics: one Prometheus registry per app (never the global default, so apps in one
 * process, as in the tests, keep apart), served together with the process's standard metrics. The
 * only module that imports prom-client: the rest of the code records through the small interfaces here.
 */
export function createMetrics(logger: Logger) {
  processMetrics();
  const registry = new Registry();
  const registers = [registry];

  /** Runs `read` once for all the gauges of one scrape that share it (a scrape collects every metric at once). */
  function shared<T>(read: () => Promise<T>): () => Promise<T> {
    let running: Promise<T> | undefined;
    return () => {
      running ??= read().finally(() => {
        running = undefined;
      });
      return running;
    };
  }

  return {
    contentType: registry.contentType,
    render: () => Registry.merge([processMetrics(), registry]).metrics(),
    shared,

    counter<L extends string>(name: string, help: string, labelNames: readonly L[]): CounterMetric<L> {
      const counter = new Counter<L>({ name, help, labelNames, registers });
      return { inc: (labels, by = 1) => counter.inc(labels, by) };
    },

    histogram<L extends string>(name: string, help: string, labelNames: readonly L[], buckets = LATENCY_BUCKETS): HistogramMetric<L> {
      const histogram = new Histogram<L>({ name, help, labelNames, buckets, registers });
      return { observe: (labels, value) => histogram.observe(labels, value) };
    },

    /**
     * A gauge whose series are read at scrape time (e.g. from the database, so every process sharing it
     * reports the same). A failed read leaves the gauge without series for that scrape and is logged.
     */
    scrapedGauge<L extends string>(name: string, help: string, labelNames: readonly L[], read: () => Promise<Sample<L>[]> | Sample<L>[]): void {
      new Gauge<L>({
        name,
        help,
        labelNames,
        registers,
        async collect() {
          this.reset();
          try {
            for (const sample of await read()) this.set(sample.labels, sample.value);
          } catch (error) {
            logger.warn('metrics read failed', { metric: name, error: (error as Error).message });
          }
        },
      });
    },
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
