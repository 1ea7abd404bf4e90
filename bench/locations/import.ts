import { Agent } from 'node:http';
import { forkRpc, type RpcChild } from '../push/processes';
import type { Collected } from '../push/emsp-runner';
import { envelopeData, request } from '../push/http';
import { median } from './measure';
import { benchLocation, locationId } from './seed';

/** Where an import writes: PUT `${baseUrl}${path(id)}` with `headers`, answered `created` for a new location. */
export interface ImportTarget {
  baseUrl: string;
  path: (id: string) => string;
  headers: Record<string, string>;
  created: number;
}

export interface ImportResult {
  seconds: number;
  perSecond: number;
  p50: number;
  p99: number;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? NaN;

/**
 * Objects `first`..`last` PUT by `writers` concurrent clients over keep-alive connections, as an operator's
 * import would send them (`object(i)`: its id and body); every answer must be `created`.
 */
export async function importObjects(target: ImportTarget, first: number, last: number, writers: number, object: (i: number) => { id: string; body: unknown }): Promise<ImportResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: writers });
  const latencies: number[] = [];
  let next = first;
  const started = process.hrtime.bigint();
  try {
    await Promise.all(
      Array.from({ length: writers }, async () => {
        while (next <= last) {
          const { id, body } = object(next++);
          const reply = await request('PUT', `${target.baseUrl}${target.path(id)}`, target.headers, body, 30_000, agent);
          if (reply.status !== target.created) throw new Error(`PUT ${id} answered ${reply.status}: ${reply.body.slice(0, 300)}`);
          latencies.push(reply.ms);
        }
      }),
    );
  } finally {
    agent.destroy();
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  latencies.sort((a, b) => a - b);
  return { seconds, perSecond: (last - first + 1) / seconds, p50: median(latencies), p99: percentile(latencies, 0.99) };
}

/** Locations `first`..`last` (benchLocation), imported by `importObjects`. */
export function importLocations(target: ImportTarget, first: number, last: number, writers: number): Promise<ImportResult> {
  return importObjects(target, first, last, writers, (i) => ({ id: locationId(i), body: benchLocation(i) }));
}

/** The benchmark's eMSPs (bench/push/emsp-runner.ts in a child process), registered through the real handshake. */
export interface Emsps {
  /** Registers eMSP `index` with the node at `baseUrl` (a registration slot, then the eMSP's POST of its credentials). */
  register(index: number, baseUrl: string, adminToken: string): Promise<void>;
  /** The Authorization header eMSP `index` calls the node with (its token C, from the handshake). */
  authorization(index: number): Promise<string>;
  /** Waits until eMSP `index` has received `count` location PUTs since the last wait; seconds waited. */
  waitForPuts(index: number, count: number, timeoutMs: number): Promise<number>;
  /** Waits until eMSP `index` holds `count` tariffs (started with `tariffsReceiver`); seconds waited. */
  waitForTariffs(index: number, count: number, timeoutMs: number): Promise<number>;
  /** The tariffs eMSP `index` holds under `keys` (`cc/pid/TARIFF_ID`), null where it holds none. */
  heldTariffs(index: number, keys: string[]): Promise<(Record<string, unknown> | null)[]>;
  stop(): Promise<void>;
}

export interface EmspOptions {
  /** The eMSPs list a tariffs RECEIVER and hold the tariffs pushed to them. */
  tariffsReceiver?: boolean;
}

async function poll(what: () => Promise<boolean>, timeoutMs: number, failure: () => string): Promise<number> {
  const started = Date.now();
  for (;;) {
    if (await what()) return (Date.now() - started) / 1000;
    if (Date.now() - started > timeoutMs) throw new Error(failure());
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export async function startEmsps(count: number, options: EmspOptions = {}): Promise<Emsps> {
  const runner: RpcChild = forkRpc('bench/push/emsp-runner.ts', { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp' });
  await runner.call('start', { count, tariffsReceiver: options.tariffsReceiver ?? false });
  const received = Array.from({ length: count }, () => 0);
  return {
    async register(index, baseUrl, adminToken) {
      const slot = envelopeData(await request('POST', `${baseUrl}/admin/partners`, { Authorization: `Bearer ${adminToken}` }), 'registration slot');
      const { token_a: tokenA, versions_url: versionsUrl } = slot as { token_a: string; versions_url: string };
      await runner.call('register', { index, versionsUrl, tokenA });
    },
    waitForPuts(index, expected, timeoutMs) {
      return poll(async () => {
        const { pushes } = await runner.call<Collected>('collect');
        pushes.forEach((n, i) => (received[i]! += n));
        if (received[index]! < expected) return false;
        received[index]! -= expected;
        return true;
      }, timeoutMs, () => `eMSP ${index} received ${received[index]} of ${expected} pushes within ${timeoutMs} ms`);
    },
    waitForTariffs(index, expected, timeoutMs) {
      let held = 0;
      return poll(async () => {
        held = (await runner.call<number[]>('tariffsHeld'))[index]!;
        return held >= expected;
      }, timeoutMs, () => `eMSP ${index} held ${held} of ${expected} tariffs after ${timeoutMs} ms`);
    },
    heldTariffs: (index, keys) => runner.call('heldTariffs', { index, keys }),
    async authorization(index) {
      const token = await runner.call<string>('nodeToken', { index });
      return `Token ${Buffer.from(token, 'utf8').toString('base64')}`;
    },
    stop: () => runner.stop(),
  };
}
