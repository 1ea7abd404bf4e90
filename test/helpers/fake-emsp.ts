import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: unknown;
  /** Date.now() when the request arrived. */
  receivedAt?: number;
  /** The query string, without `?` (empty when none). */
  query?: string;
  /** Set when the locations receiver answered this request with an injected fault (nothing was applied). */
  fault?: PushFault;
}

/** How the fake answers: normally, or broken in one of the ways real partners break. */
export type FakeMode = 'ok' | 'http-500' | 'garbage' | 'hang' | 'no-2.2.1' | 'no-credentials-endpoint' | 'ocpi-error';

/**
 * How the locations receiver fails one push, while versions and credentials keep working:
 * transient (`http-500`, `ocpi-3000` on HTTP 200, `garbage`: HTTP 200 that is not OCPI, `hang`: never
 * answers) or permanent (`http-400`, `http-404`, `ocpi-2001` on HTTP 200).
 */
export type PushFault = 'http-500' | 'ocpi-3000' | 'garbage' | 'hang' | 'http-400' | 'http-404' | 'ocpi-2001';

export interface FakeEmspOptions {
  countryCode?: string;
  partyId?: string;
  /** Token A it hands to the node operator, for the node-initiated handshake. */
  tokenA?: string;
  /** How its version details list `locations`: as RECEIVER (default), only as SENDER, or not at all. */
  locationsEndpoint?: 'RECEIVER' | 'SENDER' | 'none';
  /** The role its credentials list (default `EMSP`). */
  role?: string;
  /** Whether its version details list a `tariffs` RECEIVER (default: no). */
  tariffsReceiver?: boolean;
  /** Whether its version details list a `sessions` RECEIVER (default: no). */
  sessionsReceiver?: boolean;
  /** Whether its version details list a `cdrs` RECEIVER (default: no). */
  cdrsReceiver?: boolean;
  /** Whether its version details list its `tokens` SENDER (default: yes). */
  tokensSender?: boolean;
}

/**
 * How its real-time authorization (`POST {tokens}/{uid}/authorize`, digest §3.5.2) answers one uid: an
 * AuthorizationInfo (HTTP 200 / 1000), `unknown` (404 / 2004, also what an uid it was told nothing about
 * gets), `needs-location` (2002 when the request carried no LocationReferences, else the `info`),
 * `http-500`, or `hang` (never answers).
 */
export type AuthorizeAnswer =
  | { info: Record<string, any>; needsLocation?: boolean }
  | 'unknown'
  | 'needs-location'
  | 'http-500'
  | 'hang';

/**
 * How its locations receiver answers `GET`/`DELETE {receiver}/{cc}/{pid}` (the seed design's list
 * extension): `on` serves it; `off` answers as a plain receiver that finds no location id (400 / 2001);
 * `http-404`, `http-405` (with an OCPI body) and `ocpi-error` (HTTP 200 with status_code 2000) are the
 * other ways a partner without it answers, and `not-a-list` a success whose `data` is an object.
 */
export type LocationsListMode = 'on' | 'off' | 'http-404' | 'http-405' | 'ocpi-error' | 'not-a-list';

/** A CDR this eMSP holds, and the Location it answered its POST with. */
export interface HeldCdr {
  cdr: Record<string, any>;
  location: string;
}

/** What the fake saw when it read the node's versions and version details with a token the node gave it. */
export interface NodeDiscovery {
  token: string;
  status: number;
  endpoints: { identifier: string; role: string; url: string }[];
}

const LOCATIONS_RECEIVER = '/ocpi/2.2.1/locations/';
const TARIFFS_RECEIVER = '/ocpi/2.2.1/tariffs/';
const SESSIONS_RECEIVER = '/ocpi/2.2.1/sessions/';
const CDRS_RECEIVER = '/ocpi/2.2.1/cdrs';
const TOKENS_SENDER = '/ocpi/2.2.1/tokens';
const COMMAND_RESULTS = '/ocpi/2.2.1/commands/results/';

/**
 * An eMSP on the far side of the wire: a real HTTP server on loopback with versions, version details
 * and credentials, which records every request and can be told to fail.
 */
export class FakeEmsp {
  readonly requests: RecordedRequest[] = [];
  readonly countryCode: string;
  readonly partyId: string;
  mode: FakeMode = 'ok';
  /** Discovery works, but POST/PUT of credentials answer an OCPI client error. */
  rejectCredentials = false;
  /** Tokens the node may use to call us. */
  readonly acceptedTokens = new Set<string>();
  /** The token we use to call the node (B as handshake sender, or what the node returned). */
  tokenForNode: string | undefined;
  /** Locations as this eMSP holds them after the node's pushes, by `cc/pid/location_id`. */
  readonly locations = new Map<string, Record<string, any>>();
  /** Tariffs as this eMSP holds them, by `cc/pid/TARIFF_ID` (ids upper-cased: they are case-insensitive). */
  readonly tariffs = new Map<string, Record<string, any>>();
  /** Sessions as this eMSP holds them, by `cc/pid/SESSION_ID`: PUT replaces, PATCH merges and appends charging periods. */
  readonly sessions = new Map<string, Record<string, any>>();
  /**
   * CDRs as this eMSP holds them, by `cc/pid/CDR_ID`. A POST of a CDR it holds already is answered like
   * the first (same Location): the id is unique per party, so a resent CDR is the same bill.
   */
  readonly cdrs = new Map<string, HeldCdr>();
  /** Answer CDR POSTs without the `Location` header (a receiver that ignores that rule). */
  cdrsWithoutLocation = false;
  /** Each time a pushed connector named a tariff this eMSP did not hold: `<request path> names <tariff id>`. */
  readonly unknownTariffReferences: string[] = [];
  /**
   * The tokens its Tokens SENDER list serves (digest §3.5.2), in this order, paged by `offset`/`limit`
   * with `X-Total-Count`, `X-Limit` (`tokensPageLimit`) and a `Link` to the next page that repeats the
   * `limit` the node asked for (which may be above X-Limit: the node must lower it itself).
   */
  tokenList: Record<string, any>[] = [];
  /** The most tokens one page of its Tokens SENDER list holds (its X-Limit). */
  tokensPageLimit = 50;
  /** Real-time authorization answers by uid (upper-cased); an uid not here is unknown (404 / 2004). */
  readonly authorizeAnswers = new Map<string, AuthorizeAnswer>();
  /** Milliseconds its real-time authorization waits before answering (the eMSP's own time). */
  authorizeDelayMs = 0;
  /** The node's credentials as last received. */
  nodeCredentials: { token: string; url: string; roles: unknown[] } | undefined;
  /** Whether its locations receiver offers the list extension (GET/DELETE `{receiver}/{cc}/{pid}`); see LocationsListMode. */
  locationsList: LocationsListMode = 'off';
  /** The most locations one page of that list holds (its X-Limit). */
  locationsPageLimit = 50;
  /** Milliseconds the locations receiver waits before answering each request (a slow partner). */
  pushDelayMs = 0;
  /** Milliseconds the tariffs receiver waits before storing and answering each request (slow tariffs, quick locations). */
  tariffDelayMs = 0;
  /** Requests to the locations receiver not answered yet, and the most there ever were at once. */
  inFlightPushes = 0;
  maxInFlightPushes = 0;
  readonly locationsEndpoint: 'RECEIVER' | 'SENDER' | 'none';
  readonly tariffsReceiver: boolean;
  readonly sessionsReceiver: boolean;
  readonly cdrsReceiver: boolean;
  readonly tokensSender: boolean;
  readonly role: string;
  /**
   * As handshake receiver, read the node's versions and version details with the token B of its
   * credentials POST/PUT before answering (digest §2.3 step 5); what it saw is in `nodeDiscoveries`.
   */
  discoverNodeOnCredentials = false;
  readonly nodeDiscoveries: NodeDiscovery[] = [];
  private pushFaults: { fault: PushFault; times: number } | undefined;
  private tokenPageFaults = new Map<number, number>();
  private locationsListFaults = new Map<number, number>();
  private server: Server | undefined;
  private port: number | undefined;
  baseUrl = '';

  constructor(options: FakeEmspOptions = {}) {
    this.countryCode = options.countryCode ?? 'DE';
    this.partyId = options.partyId ?? 'MSP';
    this.locationsEndpoint = options.locationsEndpoint ?? 'RECEIVER';
    this.tariffsReceiver = options.tariffsReceiver ?? false;
    this.sessionsReceiver = options.sessionsReceiver ?? false;
    this.cdrsReceiver = options.cdrsReceiver ?? false;
    this.tokensSender = options.tokensSender ?? true;
    this.role = options.role ?? 'EMSP';
    if (options.tokenA) this.acceptedTokens.add(options.tokenA);
  }

  get versionsUrl(): string {
    return `${this.baseUrl}/ocpi/versions`;
  }

  async start(): Promise<this> {
    return this.listen(0);
  }

  /** Listens again on the port it had before `stop()`, so the URLs the node stored keep working. */
  async restart(): Promise<this> {
    if (this.port === undefined) throw new Error('restart() needs an earlier start()');
    return this.listen(this.port);
  }

  private async listen(port: number): Promise<this> {
    const server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
    this.baseUrl = `http://127.0.0.1:${this.port}`;
    return this;
  }

  /** The next `times` requests to the locations receiver fail with `fault` (default: until `healPushes()`). */
  failPushes(fault: PushFault, times = Infinity): void {
    this.pushFaults = { fault, times };
  }

  /** The locations receiver answers normally again. */
  healPushes(): void {
    this.pushFaults = undefined;
  }

  /** The next `times` requests for the Tokens SENDER page at `offset` answer HTTP 500. */
  failTokensPage(offset: number, times = 1): void {
    this.tokenPageFaults.set(offset, times);
  }

  /** The next `times` requests for the locations list page at `offset` answer HTTP 500. */
  failLocationsListPage(offset: number, times = 1): void {
    this.locationsListFaults.set(offset, times);
  }

  private commandResultUrls = 0;

  /** A fresh `response_url` for a command: the node POSTs its CommandResult there (answered with the envelope). */
  commandResponseUrl(): string {
    this.commandResultUrls += 1;
    return `${this.baseUrl}${COMMAND_RESULTS}${this.commandResultUrls}`;
  }

  /** The POSTs the node made to the `response_url`s of commands (CommandResults), in order. */
  commandResults(): RecordedRequest[] {
    return this.requests.filter((r) => r.method === 'POST' && r.path.startsWith(COMMAND_RESULTS));
  }

  /** Requests the node made to the Tokens SENDER list. */
  tokenPulls(): RecordedRequest[] {
    return this.requests.filter((r) => r.path === TOKENS_SENDER);
  }

  /** Real-time authorization requests the node made (`POST {tokens}/{uid}/authorize`). */
  authorizeRequests(): RecordedRequest[] {
    return this.requests.filter((r) => r.path.startsWith(`${TOKENS_SENDER}/`) && r.path.endsWith('/authorize'));
  }

  /** Requests the node made to the sessions receiver. */
  sessionPushes(): RecordedRequest[] {
    return this.requests.filter((r) => r.path.startsWith(SESSIONS_RECEIVER));
  }

  /** CDR POSTs the node made (to the receiver URL itself), including any it made again. */
  cdrPosts(): RecordedRequest[] {
    return this.requests.filter((r) => r.method === 'POST' && r.path.startsWith(CDRS_RECEIVER));
  }

  /** Requests the node made to the tariffs receiver. */
  tariffPushes(): RecordedRequest[] {
    return this.requests.filter((r) => r.path.startsWith(TARIFFS_RECEIVER));
  }

  /** Stores a copy of a location as if it had been pushed (a stale or extra copy), keyed by its own country_code/party_id/id. */
  holdLocation(location: Record<string, any>): void {
    this.locations.set(`${location.country_code}/${location.party_id}/${location.id}`, location);
  }

  /** Requests the node made to the list extension of the locations receiver (`{receiver}/{cc}/{pid}`, any method). */
  locationsListRequests(): RecordedRequest[] {
    return this.requests.filter((r) => r.path.startsWith(LOCATIONS_RECEIVER) && r.path.slice(LOCATIONS_RECEIVER.length).split('/').filter(Boolean).length === 2);
  }

  /** Requests the node made to the locations receiver (PUT, PATCH, and anything else it tried). */
  pushes(): RecordedRequest[] {
    return this.requests.filter((r) => r.path.startsWith(LOCATIONS_RECEIVER));
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  ourCredentials(token: string) {
    return {
      token,
      url: this.versionsUrl,
      roles: [{ role: this.role, business_details: { name: 'Fake eMSP' }, party_id: this.partyId, country_code: this.countryCode }],
    };
  }

  /** Calls the node as an OCPI client with the token the node gave us. */
  async callNode(method: string, url: string, body?: unknown, token = this.tokenForNode): Promise<{ status: number; body: any }> {
    const response = await fetch(url, {
      method,
      headers: { Authorization: tokenHeader(token ?? ''), 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? safeJson(text) : undefined };
  }

  /**
   * The eMSP as handshake sender (digest §2.3): discover the node with token A, then POST our token B.
   * On success we call the node with the token C it returned.
   */
  async registerWithNode(nodeVersionsUrl: string, tokenA: string): Promise<{ status: number; body: any }> {
    const versions = await this.callNode('GET', nodeVersionsUrl, undefined, tokenA);
    const url = versions.body.data.find((v: { version: string }) => v.version === '2.2.1').url as string;
    const details = await this.callNode('GET', url, undefined, tokenA);
    const credentialsUrl = details.body.data.endpoints.find((e: { identifier: string }) => e.identifier === 'credentials').url as string;
    const tokenB = `emsp-token-b-${randomUUID()}`;
    this.acceptedTokens.add(tokenB);
    const answer = await this.callNode('POST', credentialsUrl, this.ourCredentials(tokenB), tokenA);
    if (answer.status === 200 && answer.body.status_code === 1000) {
      this.nodeCredentials = answer.body.data;
      this.tokenForNode = answer.body.data.token;
    }
    return answer;
  }

  requestsTo(path: string, method?: string): RecordedRequest[] {
    return this.requests.filter((r) => r.path === path && (!method || r.method === method));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const [path = '/', query = ''] = (req.url ?? '/').split('?') as [string?, string?];
    const body = text ? safeJson(text) : undefined;
    const recorded: RecordedRequest = { method: req.method ?? 'GET', path, query, headers: req.headers, body, receivedAt: Date.now() };
    this.requests.push(recorded);
    const pushed = (path.startsWith(LOCATIONS_RECEIVER) && this.locationsEndpoint === 'RECEIVER') || (path.startsWith(TARIFFS_RECEIVER) && this.tariffsReceiver)
      || (path.startsWith(SESSIONS_RECEIVER) && this.sessionsReceiver) || (path.startsWith(CDRS_RECEIVER) && this.cdrsReceiver);
    if (pushed) {
      this.inFlightPushes += 1;
      this.maxInFlightPushes = Math.max(this.maxInFlightPushes, this.inFlightPushes);
      res.once('close', () => (this.inFlightPushes -= 1));
      if (this.pushDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.pushDelayMs));
      const fault = this.takePushFault();
      if (fault) {
        recorded.fault = fault;
        return this.answerFault(res, fault);
      }
    }

    if (this.mode === 'hang') return;
    if (this.mode === 'http-500') return send(res, 500, 'Internal Server Error', 'text/plain');
    if (this.mode === 'garbage') return send(res, 200, '<html>not ocpi</html>', 'text/html');
    if (this.mode === 'ocpi-error') return this.reply(res, undefined, 3000, 200);

    const token = decodeToken(req.headers.authorization);
    if (!token || !this.acceptedTokens.has(token)) return this.reply(res, undefined, 2000, 401);
    await this.route(req.method ?? 'GET', path, body, res, query);
  }

  private async route(method: string, path: string, body: unknown, res: ServerResponse, query = ''): Promise<void> {
    const versionUrl = `${this.baseUrl}/ocpi/2.2.1`;
    if (method === 'GET' && path === '/ocpi/versions') {
      const versions = [{ version: '2.1.1', url: `${this.baseUrl}/ocpi/2.1.1` }];
      if (this.mode !== 'no-2.2.1') versions.push({ version: '2.2.1', url: versionUrl });
      return this.reply(res, versions);
    }
    if (method === 'GET' && path === '/ocpi/2.2.1') {
      const endpoints = this.tokensSender ? [{ identifier: 'tokens', role: 'SENDER', url: `${versionUrl}/tokens` }] : [];
      if (this.cdrsReceiver) endpoints.unshift({ identifier: 'cdrs', role: 'RECEIVER', url: `${versionUrl}/cdrs` });
      if (this.sessionsReceiver) endpoints.unshift({ identifier: 'sessions', role: 'RECEIVER', url: `${versionUrl}/sessions` });
      if (this.tariffsReceiver) endpoints.unshift({ identifier: 'tariffs', role: 'RECEIVER', url: `${versionUrl}/tariffs` });
      if (this.locationsEndpoint !== 'none') endpoints.unshift({ identifier: 'locations', role: this.locationsEndpoint, url: `${versionUrl}/locations` });
      if (this.mode !== 'no-credentials-endpoint') endpoints.unshift({ identifier: 'credentials', role: 'SENDER', url: `${versionUrl}/credentials` });
      return this.reply(res, { version: '2.2.1', endpoints });
    }
    if (path === '/ocpi/2.2.1/credentials') return this.credentials(method, body, res);
    if (path === TOKENS_SENDER && method === 'GET') return this.tokensSenderAnswer(query, res);
    if (this.tokensSender && method === 'POST' && path.startsWith(`${TOKENS_SENDER}/`) && path.endsWith('/authorize')) return this.authorizeAnswer(path, body, res);
    if (path.startsWith(COMMAND_RESULTS) && method === 'POST') return this.reply(res, undefined);
    if (path.startsWith(LOCATIONS_RECEIVER) && this.locationsEndpoint === 'RECEIVER') {
      if (this.tariffsReceiver) this.checkTariffReferences(path, body);
      return this.locationsReceiver(method, path, body, res, query);
    }
    if (path.startsWith(SESSIONS_RECEIVER) && this.sessionsReceiver) return this.sessionsReceiverAnswer(method, path, body, res);
    if (path.startsWith(CDRS_RECEIVER) && this.cdrsReceiver) return this.cdrsReceiverAnswer(method, path, body, res);
    if (path.startsWith(TARIFFS_RECEIVER) && this.tariffsReceiver) {
      if (this.tariffDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.tariffDelayMs));
      return this.tariffsReceiverAnswer(method, path, body, res);
    }
    return this.reply(res, undefined, 2000, 404);
  }

  /** Tokens SENDER list (digest §3.5.2, §1.10): `tokenList` paged, at most `tokensPageLimit` a page. */
  private tokensSenderAnswer(query: string, res: ServerResponse): void {
    const params = new URLSearchParams(query);
    const offset = Number(params.get('offset') ?? '0');
    const asked = params.get('limit') === null ? this.tokensPageLimit : Number(params.get('limit'));
    const faults = this.tokenPageFaults.get(offset) ?? 0;
    if (faults > 0) {
      this.tokenPageFaults.set(offset, faults - 1);
      return send(res, 500, 'Internal Server Error', 'text/plain');
    }
    const limit = Math.min(asked, this.tokensPageLimit);
    const page = this.tokenList.slice(offset, offset + limit);
    const headers: Record<string, string> = { 'X-Total-Count': String(this.tokenList.length), 'X-Limit': String(this.tokensPageLimit) };
    if (offset + page.length < this.tokenList.length) headers.Link = `<${this.baseUrl}${TOKENS_SENDER}?offset=${offset + page.length}&limit=${asked}>; rel="next"`;
    return this.reply(res, page, 1000, 200, headers);
  }

  /** Real-time authorization (digest §3.5.2): the answer set for the uid in `authorizeAnswers`, after `authorizeDelayMs`. */
  private async authorizeAnswer(path: string, body: unknown, res: ServerResponse): Promise<void> {
    const uid = decodeURIComponent(path.slice(TOKENS_SENDER.length + 1, -'/authorize'.length));
    if (this.authorizeDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.authorizeDelayMs));
    const answer = this.authorizeAnswers.get(uid.toUpperCase()) ?? 'unknown';
    if (answer === 'hang') return;
    if (answer === 'http-500') return send(res, 500, 'Internal Server Error', 'text/plain');
    if (answer === 'unknown') return this.reply(res, undefined, 2004, 404);
    if (answer === 'needs-location' || (answer.needsLocation && body === undefined)) return this.reply(res, undefined, 2002, 200);
    return this.reply(res, answer.info);
  }

  /** Tariffs RECEIVER (digest §3.4.2): GET, PUT (whole), DELETE (404 when it holds no such tariff). */
  private tariffsReceiverAnswer(method: string, path: string, body: unknown, res: ServerResponse): void {
    const [countryCode, partyId, tariffId, extra] = path.slice(TARIFFS_RECEIVER.length).split('/').map(decodeURIComponent);
    if (!countryCode || !partyId || !tariffId || extra !== undefined) return this.reply(res, undefined, 2001, 400);
    const key = `${countryCode}/${partyId}/${tariffId.toUpperCase()}`;
    if (method === 'GET') return this.reply(res, this.tariffs.get(key));
    if (method === 'DELETE') return this.tariffs.delete(key) ? this.reply(res, undefined) : this.reply(res, undefined, 2000, 404);
    if (method !== 'PUT') return this.reply(res, undefined, 2000, 405);
    if (typeof (body as Record<string, unknown>)?.last_updated !== 'string') return this.reply(res, undefined, 2001, 200);
    this.tariffs.set(key, body as Record<string, any>);
    return this.reply(res, undefined);
  }

  /** Sessions RECEIVER (digest §3.2.2): PUT replaces; PATCH merges fields and appends its charging periods. */
  private sessionsReceiverAnswer(method: string, path: string, body: unknown, res: ServerResponse): void {
    const [countryCode, partyId, sessionId, extra] = path.slice(SESSIONS_RECEIVER.length).split('/').map(decodeURIComponent);
    if (!countryCode || !partyId || !sessionId || extra !== undefined) return this.reply(res, undefined, 2001, 400);
    const key = `${countryCode}/${partyId}/${sessionId.toUpperCase()}`;
    const fields = body as Record<string, any>;
    if (method === 'GET') return this.reply(res, this.sessions.get(key));
    if (method !== 'PUT' && method !== 'PATCH') return this.reply(res, undefined, 2000, 405);
    if (typeof fields?.last_updated !== 'string') return this.reply(res, undefined, 2001, 200);
    const held = this.sessions.get(key);
    if (method === 'PUT') this.sessions.set(key, fields);
    else if (!held) return this.reply(res, undefined, 2001, 404);
    else {
      const periods = [...(held.charging_periods ?? []), ...(fields.charging_periods ?? [])];
      this.sessions.set(key, { ...held, ...fields, ...(periods.length > 0 ? { charging_periods: periods } : {}) });
    }
    return this.reply(res, undefined);
  }

  /**
   * CDRs RECEIVER (digest §3.3.2): POST to the bare URL stores the CDR and answers its `Location`, where
   * GET reads it back. Location URLs are `{cdrs}/{n}`, numbered in order of arrival.
   */
  private cdrsReceiverAnswer(method: string, path: string, body: unknown, res: ServerResponse): void {
    const rest = path.slice(CDRS_RECEIVER.length).replace(/^\//, '');
    if (method === 'GET') {
      const held = [...this.cdrs.values()].find((c) => c.location === `${this.baseUrl}${path}`);
      return held ? this.reply(res, held.cdr) : this.reply(res, undefined, 2003, 404);
    }
    if (method !== 'POST') return this.reply(res, undefined, 2000, 405);
    if (rest !== '') return this.reply(res, undefined, 2000, 404);
    const cdr = body as Record<string, any>;
    if (typeof cdr?.id !== 'string' || typeof cdr.country_code !== 'string' || typeof cdr.party_id !== 'string' || typeof cdr.last_updated !== 'string') {
      return this.reply(res, undefined, 2001, 400);
    }
    const key = `${cdr.country_code}/${cdr.party_id}/${cdr.id.toUpperCase()}`;
    const held = this.cdrs.get(key) ?? { cdr, location: `${this.baseUrl}${CDRS_RECEIVER}/${this.cdrs.size + 1}` };
    this.cdrs.set(key, held);
    return this.reply(res, undefined, 1000, 201, this.cdrsWithoutLocation ? {} : { Location: held.location });
  }

  /** Records every tariff a pushed connector names that this eMSP does not hold (the node must push tariffs first). */
  private checkTariffReferences(path: string, body: unknown): void {
    const [countryCode, partyId] = path.slice(LOCATIONS_RECEIVER.length).split('/').map(decodeURIComponent);
    const named = (connector: any): string[] => (Array.isArray(connector?.tariff_ids) ? connector.tariff_ids : []);
    const fields = (body ?? {}) as Record<string, any>;
    const connectors = [fields, ...(fields.connectors ?? []), ...(fields.evses ?? []).flatMap((e: any) => e.connectors ?? [])];
    for (const id of connectors.flatMap(named)) {
      if (!this.tariffs.has(`${countryCode}/${partyId}/${String(id).toUpperCase()}`)) this.unknownTariffReferences.push(`${path} names ${id}`);
    }
  }

  /**
   * Locations RECEIVER (digest §3.1.2): PUT replaces at its depth, PATCH merges fields; both set the
   * parents' last_updated to the pushed one. Objects are keyed `cc/pid/location_id`.
   */
  private locationsReceiver(method: string, path: string, body: unknown, res: ServerResponse, query = ''): void {
    const [countryCode, partyId, locationId, evseUid, connectorId] = path.slice('/ocpi/2.2.1/locations/'.length).split('/').map(decodeURIComponent);
    if (countryCode && partyId && !locationId && (method === 'GET' || method === 'DELETE') && this.locationsList !== 'off') {
      return this.locationsListAnswer(method, `${countryCode}/${partyId}/`, query, res);
    }
    if (!countryCode || !partyId || !locationId) return this.reply(res, undefined, 2001, 400);
    const key = `${countryCode}/${partyId}/${locationId}`;
    const patch = body as Record<string, any>;
    if (method === 'GET') return this.reply(res, this.locations.get(key));
    if (method !== 'PUT' && method !== 'PATCH') return this.reply(res, undefined, 2000, 405);
    if (typeof patch?.last_updated !== 'string') return this.reply(res, undefined, 2001, 200);
    let location = this.locations.get(key);
    if (!evseUid) {
      this.locations.set(key, method === 'PUT' ? patch : { ...location, ...patch });
      return this.reply(res, undefined);
    }
    if (!location) return this.reply(res, undefined, 2003, 404);
    location = { ...location, evses: [...(location.evses ?? [])], last_updated: patch.last_updated };
    const evseIndex = location.evses.findIndex((e: any) => e.uid === evseUid);
    let evse = evseIndex >= 0 ? { ...location.evses[evseIndex] } : undefined;
    if (!connectorId) evse = method === 'PUT' ? patch : evse && { ...evse, ...patch };
    else if (evse) {
      const connectors = [...evse.connectors];
      const index = connectors.findIndex((c: any) => c.id === connectorId);
      const next = method === 'PUT' ? patch : index >= 0 ? { ...connectors[index], ...patch } : undefined;
      if (!next) return this.reply(res, undefined, 2003, 404);
      if (index >= 0) connectors[index] = next;
      else connectors.push(next);
      evse = { ...evse, connectors, last_updated: patch.last_updated };
    }
    if (!evse) return this.reply(res, undefined, 2003, 404);
    if (evseIndex >= 0) location.evses[evseIndex] = evse;
    else location.evses.push(evse);
    this.locations.set(key, location);
    return this.reply(res, undefined);
  }

  /** The list extension: GET pages the locations held under `prefix` (like `tokensSenderAnswer`), DELETE forgets them. */
  private locationsListAnswer(method: string, prefix: string, query: string, res: ServerResponse): void {
    if (this.locationsList === 'http-404') return this.reply(res, undefined, 2000, 404);
    if (this.locationsList === 'http-405') return this.reply(res, undefined, 2000, 405);
    if (this.locationsList === 'ocpi-error') return this.reply(res, undefined, 2000, 200);
    if (this.locationsList === 'not-a-list') return this.reply(res, { locations: [] });
    const keys = [...this.locations.keys()].filter((key) => key.startsWith(prefix));
    if (method === 'DELETE') {
      keys.forEach((key) => this.locations.delete(key));
      return this.reply(res, undefined);
    }
    const params = new URLSearchParams(query);
    const offset = Number(params.get('offset') ?? '0');
    const faults = this.locationsListFaults.get(offset) ?? 0;
    if (faults > 0) {
      this.locationsListFaults.set(offset, faults - 1);
      return send(res, 500, 'Internal Server Error', 'text/plain');
    }
    const asked = params.get('limit') === null ? this.locationsPageLimit : Number(params.get('limit'));
    const page = keys.slice(offset, offset + Math.min(asked, this.locationsPageLimit)).map((key) => this.locations.get(key));
    const headers: Record<string, string> = { 'X-Total-Count': String(keys.length), 'X-Limit': String(this.locationsPageLimit) };
    const path = `${LOCATIONS_RECEIVER}${prefix.slice(0, -1)}`;
    if (offset + page.length < keys.length) headers.Link = `<${this.baseUrl}${path}?offset=${offset + page.length}&limit=${asked}>; rel="next"`;
    return this.reply(res, page, 1000, 200, headers);
  }

  private takePushFault(): PushFault | undefined {
    const faults = this.pushFaults;
    if (!faults || faults.times <= 0) return undefined;
    faults.times -= 1;
    return faults.fault;
  }

  private answerFault(res: ServerResponse, fault: PushFault): void {
    switch (fault) {
      case 'hang':
        return;
      case 'http-500':
        return send(res, 500, 'Internal Server Error', 'text/plain');
      case 'ocpi-3000':
        return this.reply(res, undefined, 3000, 200);
      case 'garbage':
        return send(res, 200, '<html>not ocpi</html>', 'text/html');
      case 'http-400':
        return this.reply(res, undefined, 2001, 400);
      case 'http-404':
        return this.reply(res, undefined, 2003, 404);
      case 'ocpi-2001':
        return this.reply(res, undefined, 2001, 200);
    }
  }

  /** Versions, then 2.2.1 version details of the node, with `token`: what a spec-following receiver stores. */
  async discoverNode(versionsUrl: string, token: string): Promise<NodeDiscovery> {
    const versions = await this.callNode('GET', versionsUrl, undefined, token);
    const url = versions.body?.data?.find?.((v: { version: string }) => v.version === '2.2.1')?.url as string | undefined;
    if (versions.status !== 200 || !url) return { token, status: versions.status, endpoints: [] };
    const details = await this.callNode('GET', url, undefined, token);
    return { token, status: details.status, endpoints: details.status === 200 ? details.body.data.endpoints : [] };
  }

  /** The receiver side of the node-initiated handshake and of its updates. */
  private async credentials(method: string, body: unknown, res: ServerResponse): Promise<void> {
    if (method === 'GET') return this.reply(res, this.ourCredentials(this.tokenForNode ?? 'none'));
    if (method === 'DELETE') {
      this.acceptedTokens.clear();
      return this.reply(res, undefined);
    }
    if ((method === 'POST' || method === 'PUT') && this.rejectCredentials) return this.reply(res, undefined, 2001, 200);
    if (method === 'POST' || method === 'PUT') {
      const offered = body as { token: string; url: string };
      if (this.discoverNodeOnCredentials) this.nodeDiscoveries.push(await this.discoverNode(offered.url, offered.token));
      this.nodeCredentials = body as FakeEmsp['nodeCredentials'];
      this.tokenForNode = this.nodeCredentials?.token;
      const tokenC = `emsp-token-${randomUUID()}`;
      this.acceptedTokens.clear();
      this.acceptedTokens.add(tokenC);
      return this.reply(res, this.ourCredentials(tokenC));
    }
    return this.reply(res, undefined, 2000, 405);
  }

  private reply(res: ServerResponse, data: unknown, statusCode = 1000, httpStatus = 200, headers: Record<string, string> = {}): void {
    const envelope: Record<string, unknown> = { status_code: statusCode, timestamp: new Date().toISOString() };
    if (data !== undefined) envelope.data = data;
    send(res, httpStatus, JSON.stringify(envelope), 'application/json', headers);
  }
}

function send(res: ServerResponse, status: number, body: string, type: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': type, ...headers });
  res.end(body);
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export function decodeToken(header: string | undefined): string | undefined {
  const match = /^Token (.+)$/.exec(header ?? '');
  return match ? Buffer.from(match[1] as string, 'base64').toString('utf8') : undefined;
}

export function tokenHeader(token: string): string {
  return `Token ${Buffer.from(token, 'utf8').toString('base64')}`;
}
