/**
 * A child process hosting the benchmark's fake eMSPs (test/helpers/fake-emsp.ts, unchanged), so that their
 * 2,000 requests/s do not share an event loop with the load generator. Driven over the IPC channel by
 * run.ts: { id, method, params } in, { id, result } or { id, error } out.
 *
 * What it keeps of each push is only what the lag needs: per partner, for every request that carries an
 * EVSE's state (a PUT or PATCH of the EVSE, or a PUT of its location), [evse uid, last_updated ms, arrival ms].
 * Started with `tariffsReceiver`, the fakes also list a tariffs RECEIVER and hold the tariffs pushed to them
 * (bench/tariffs: `tariffsHeld`, `heldTariffs`). Started with `sessionsReceiver`, they list a sessions RECEIVER,
 * hold the sessions pushed to them (PATCHed periods appended) and `collect` also gives, per request to that receiver,
 * the session and the start of every charging period it carried (bench/sessions: `sessionReceipts`, `heldSessions`).
 */
import { FakeEmsp, type AuthorizeAnswer } from '../../test/helpers/fake-emsp';

export type Receipt = [uid: string, lastUpdated: number, receivedAt: number];

/** One PUT or PATCH to a sessions receiver: the session id (upper case), its periods' start_date_time (ms), arrival ms. */
export type SessionReceipt = [sessionId: string, periodStarts: number[], receivedAt: number];

export interface Collected {
  /** Per partner, in arrival order. */
  receipts: Receipt[][];
  /** Per partner: PUT and PATCH requests to its locations receiver. */
  pushes: number[];
  /** Per partner, in arrival order: the requests to its sessions receiver (empty unless started with `sessionsReceiver`). */
  sessionReceipts: SessionReceipt[][];
}

/** What an eMSP holds of one session: its key (`cc/pid/ID`), the party of its cdr_token, its periods' starts (ms). */
export interface HeldSession {
  key: string;
  tokenParty: string;
  periodStarts: number[];
}

const RECEIVER = '/ocpi/2.2.1/locations/';
const SESSIONS_RECEIVER = '/ocpi/2.2.1/sessions/';
const emsps: FakeEmsp[] = [];
let receipts: Receipt[][] = [];
let pushes: number[] = [];
let sessionReceipts: SessionReceipt[][] = [];

const startsOf = (periods: unknown) => ((periods as { start_date_time: string }[] | undefined) ?? []).map((p) => Date.parse(p.start_date_time));

/** Moves what the fakes recorded into the compact form (their own request lists would grow for the whole run). */
function compact(): void {
  emsps.forEach((emsp, index) => {
    for (const request of emsp.requests.splice(0)) {
      if (request.path.startsWith(SESSIONS_RECEIVER) && (request.method === 'PUT' || request.method === 'PATCH')) {
        const sessionId = decodeURIComponent(request.path.slice(SESSIONS_RECEIVER.length).split('/')[2] ?? '').toUpperCase();
        const body = request.body as { charging_periods?: unknown };
        sessionReceipts[index]!.push([sessionId, startsOf(body?.charging_periods), request.receivedAt ?? Date.now()]);
        continue;
      }
      if (!request.path.startsWith(RECEIVER) || (request.method !== 'PUT' && request.method !== 'PATCH')) continue;
      pushes[index]! += 1;
      const [, , , uid, connector] = request.path.slice(RECEIVER.length).split('/').map(decodeURIComponent);
      const body = request.body as { last_updated?: string; evses?: { uid: string; last_updated: string }[] };
      const at = request.receivedAt ?? Date.now();
      if (uid && !connector && body.last_updated) receipts[index]!.push([uid, Date.parse(body.last_updated), at]);
      else if (!uid && request.method === 'PUT') for (const evse of body.evses ?? []) receipts[index]!.push([evse.uid, Date.parse(evse.last_updated), at]);
    }
  });
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each handler declares the params it takes
const handlers: Record<string, (params: any) => Promise<unknown>> = {
  async start({ count, tariffsReceiver = false, sessionsReceiver = false }: { count: number; tariffsReceiver?: boolean; sessionsReceiver?: boolean }) {
    for (let i = 0; i < count; i++) {
      emsps.push(await new FakeEmsp({ countryCode: 'DE', partyId: `E${String(i).padStart(2, '0')}`, tariffsReceiver, sessionsReceiver }).start());
    }
    receipts = emsps.map(() => []);
    pushes = emsps.map(() => 0);
    sessionReceipts = emsps.map(() => []);
    return emsps.map((emsp) => emsp.baseUrl);
  },

  /** The eMSP-initiated handshake with the token A of a slot the operator created on the node. */
  async register({ index, versionsUrl, tokenA }: { index: number; versionsUrl: string; tokenA: string }) {
    const answer = await emsps[index]!.registerWithNode(versionsUrl, tokenA);
    if (answer.status !== 200 || answer.body?.status_code !== 1000) throw new Error(`eMSP ${index}: handshake answered ${answer.status} ${JSON.stringify(answer.body)}`);
    return true;
  },

  /** The token eMSP `index` got from the node in the handshake (its token C). */
  async nodeToken({ index }: { index: number }) {
    const token = emsps[index]!.tokenForNode;
    if (!token) throw new Error(`eMSP ${index} is not registered`);
    return token;
  },

  /** Real-time authorization answers of eMSP `index` by uid (bench/authorize), and how long it waits before each. */
  async authorizeAnswers({ index, answers, delayMs = 0 }: { index: number; answers: [string, AuthorizeAnswer][]; delayMs?: number }) {
    for (const [uid, answer] of answers) emsps[index]!.authorizeAnswers.set(uid.toUpperCase(), answer);
    emsps[index]!.authorizeDelayMs = delayMs;
    return true;
  },

  async delay({ indices, ms }: { indices: number[]; ms: number }) {
    emsps.forEach((emsp, index) => (emsp.pushDelayMs = indices.includes(index) ? ms : 0));
    return true;
  },

  async collect(): Promise<Collected> {
    compact();
    const out = { receipts, pushes, sessionReceipts };
    receipts = emsps.map(() => []);
    pushes = emsps.map(() => 0);
    sessionReceipts = emsps.map(() => []);
    return out;
  },

  /** What the naive baseline needs to call the same eMSPs: their receiver URL and the token they accept. */
  async credentials() {
    return emsps.map((emsp) => ({
      locationsUrl: `${emsp.baseUrl}/ocpi/2.2.1/locations`,
      sessionsUrl: `${emsp.baseUrl}/ocpi/2.2.1/sessions`,
      party: `${emsp.countryCode}/${emsp.partyId}`,
      token: [...emsp.acceptedTokens][0],
    }));
  },

  /** Per partner: how many tariffs it holds (pushed with PUT, not deleted since). */
  async tariffsHeld() {
    return emsps.map((emsp) => emsp.tariffs.size);
  },

  /** The tariffs eMSP `index` holds under `keys` (`cc/pid/TARIFF_ID`), null where it holds none. */
  async heldTariffs({ index, keys }: { index: number; keys: string[] }) {
    return keys.map((key) => emsps[index]!.tariffs.get(key) ?? null);
  },

  /** Per partner: the sessions it holds, and the periods held of each in order. */
  async heldSessions(): Promise<HeldSession[][]> {
    return emsps.map((emsp) =>
      [...emsp.sessions].map(([key, session]) => {
        const token = session.cdr_token as { country_code?: string; party_id?: string } | undefined;
        return { key, tokenParty: `${token?.country_code ?? '?'}/${token?.party_id ?? '?'}`.toUpperCase(), periodStarts: startsOf(session.charging_periods) };
      }),
    );
  },

  /** Per partner: sessions held and their periods in all (cheap enough to poll while waiting for a drain). */
  async sessionsHeld() {
    return emsps.map((emsp) => {
      let periods = 0;
      for (const session of emsp.sessions.values()) periods += (session.charging_periods as unknown[] | undefined)?.length ?? 0;
      return { sessions: emsp.sessions.size, periods };
    });
  },

  /** Forgets the sessions every eMSP holds (between the node's phase and the baseline's, which use the same ids). */
  async clearSessions() {
    for (const emsp of emsps) emsp.sessions.clear();
    return true;
  },

  async inFlight() {
    return emsps.reduce((sum, emsp) => sum + emsp.inFlightPushes, 0);
  },
};

async function stopAll(): Promise<void> {
  await Promise.all(emsps.map((emsp) => emsp.stop()));
  process.exit(0);
}

process.on('message', (message: { id: number; method: string; params?: unknown }) => {
  const handler = handlers[message.method];
  if (!handler) return process.send!({ id: message.id, error: `unknown method ${message.method}` });
  handler(message.params ?? {}).then(
    (result) => process.send!({ id: message.id, result }),
    (error: Error) => process.send!({ id: message.id, error: error.message }),
  );
});
process.on('SIGTERM', () => void stopAll());
process.on('disconnect', () => void stopAll());
setInterval(compact, 500);
