import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: unknown;
}

/** How the fake answers: normally, or broken in one of the ways real partners break. */
export type FakeMode = 'ok' | 'http-500' | 'garbage' | 'hang' | 'no-2.2.1' | 'no-credentials-endpoint' | 'ocpi-error';

export interface FakeEmspOptions {
  countryCode?: string;
  partyId?: string;
  /** Token A it hands to the node operator, for the node-initiated handshake. */
  tokenA?: string;
}

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
  /** The node's credentials as last received. */
  nodeCredentials: { token: string; url: string; roles: unknown[] } | undefined;
  private server: Server | undefined;
  baseUrl = '';

  constructor(options: FakeEmspOptions = {}) {
    this.countryCode = options.countryCode ?? 'DE';
    this.partyId = options.partyId ?? 'MSP';
    if (options.tokenA) this.acceptedTokens.add(options.tokenA);
  }

  get versionsUrl(): string {
    return `${this.baseUrl}/ocpi/versions`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
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
      roles: [{ role: 'EMSP', business_details: { name: 'Fake eMSP' }, party_id: this.partyId, country_code: this.countryCode }],
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
    const path = (req.url ?? '/').split('?')[0] as string;
    const body = text ? safeJson(text) : undefined;
    this.requests.push({ method: req.method ?? 'GET', path, headers: req.headers, body });

    if (this.mode === 'hang') return;
    if (this.mode === 'http-500') return send(res, 500, 'Internal Server Error', 'text/plain');
    if (this.mode === 'garbage') return send(res, 200, '<html>not ocpi</html>', 'text/html');
    if (this.mode === 'ocpi-error') return this.reply(res, undefined, 3000, 200);

    const token = decodeToken(req.headers.authorization);
    if (!token || !this.acceptedTokens.has(token)) return this.reply(res, undefined, 2000, 401);
    this.route(req.method ?? 'GET', path, body, res);
  }

  private route(method: string, path: string, body: unknown, res: ServerResponse): void {
    const versionUrl = `${this.baseUrl}/ocpi/2.2.1`;
    if (method === 'GET' && path === '/ocpi/versions') {
      const versions = [{ version: '2.1.1', url: `${this.baseUrl}/ocpi/2.1.1` }];
      if (this.mode !== 'no-2.2.1') versions.push({ version: '2.2.1', url: versionUrl });
      return this.reply(res, versions);
    }
    if (method === 'GET' && path === '/ocpi/2.2.1') {
      const endpoints = [
        { identifier: 'locations', role: 'RECEIVER', url: `${versionUrl}/locations` },
        { identifier: 'tokens', role: 'SENDER', url: `${versionUrl}/tokens` },
      ];
      if (this.mode !== 'no-credentials-endpoint') endpoints.unshift({ identifier: 'credentials', role: 'SENDER', url: `${versionUrl}/credentials` });
      return this.reply(res, { version: '2.2.1', endpoints });
    }
    if (path === '/ocpi/2.2.1/credentials') return this.credentials(method, body, res);
    if (path.startsWith('/ocpi/2.2.1/locations/')) return this.locationsReceiver(method, path, body, res);
    return this.reply(res, undefined, 2000, 404);
  }

  /**
   * Locations RECEIVER (digest §3.1.2): PUT replaces at its depth, PATCH merges fields; both set the
   * parents' last_updated to the pushed one. Objects are keyed `cc/pid/location_id`.
   */
  private locationsReceiver(method: string, path: string, body: unknown, res: ServerResponse): void {
    const [countryCode, partyId, locationId, evseUid, connectorId] = path.slice('/ocpi/2.2.1/locations/'.length).split('/').map(decodeURIComponent);
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

  /** The receiver side of the node-initiated handshake and of its updates. */
  private credentials(method: string, body: unknown, res: ServerResponse): void {
    if (method === 'GET') return this.reply(res, this.ourCredentials(this.tokenForNode ?? 'none'));
    if (method === 'DELETE') {
      this.acceptedTokens.clear();
      return this.reply(res, undefined);
    }
    if ((method === 'POST' || method === 'PUT') && this.rejectCredentials) return this.reply(res, undefined, 2001, 200);
    if (method === 'POST' || method === 'PUT') {
      this.nodeCredentials = body as FakeEmsp['nodeCredentials'];
      this.tokenForNode = this.nodeCredentials?.token;
      const tokenC = `emsp-token-${randomUUID()}`;
      this.acceptedTokens.clear();
      this.acceptedTokens.add(tokenC);
      return this.reply(res, this.ourCredentials(tokenC));
    }
    return this.reply(res, undefined, 2000, 405);
  }

  private reply(res: ServerResponse, data: unknown, statusCode = 1000, httpStatus = 200): void {
    const envelope: Record<string, unknown> = { status_code: statusCode, timestamp: new Date().toISOString() };
    if (data !== undefined) envelope.data = data;
    send(res, httpStatus, JSON.stringify(envelope), 'application/json');
  }
}

function send(res: ServerResponse, status: number, body: string, type: string): void {
  res.writeHead(status, { 'Content-Type': type });
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
