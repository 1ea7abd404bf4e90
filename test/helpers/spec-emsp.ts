import { randomUUID } from 'node:crypto';
import { FakeEmsp, tokenHeader, type NodeDiscovery } from './fake-emsp';

type Endpoint = NodeDiscovery['endpoints'][number];

export type SpecRegistration =
  | { posted: false; reason: string }
  | { posted: true; status: number; body: any };

/**
 * An eMSP that registers exactly as OCPI 2.2.1 writes it (digest §2.3 steps 2-4, 7): it reads the
 * node's versions and version details with token A, stores only the endpoints it found there, refuses
 * to POST (and would alert its administrator) when one it requires is missing, and afterwards calls
 * the node only at the URLs it stored, with token C.
 */
export class SpecFollowingEmsp extends FakeEmsp {
  /** The node's endpoints as discovered with token A: the only URLs this eMSP knows. */
  stored: Endpoint[] = [];
  /** Modules and roles it cannot work without. */
  readonly required: { identifier: string; role: string }[] = [
    { identifier: 'credentials', role: 'SENDER' },
    { identifier: 'locations', role: 'SENDER' },
  ];

  async registerFollowingSpec(nodeVersionsUrl: string, tokenA: string): Promise<SpecRegistration> {
    const discovery = await this.discoverNode(nodeVersionsUrl, tokenA);
    if (discovery.status !== 200) return { posted: false, reason: `discovery answered HTTP ${discovery.status}` };
    this.stored = discovery.endpoints;
    const missing = this.required.filter((r) => !this.endpoint(r.identifier, r.role));
    if (missing.length > 0) return { posted: false, reason: `missing ${missing.map((m) => `${m.identifier} ${m.role}`).join(', ')}` };
    const tokenB = `spec-emsp-token-b-${randomUUID()}`;
    this.acceptedTokens.add(tokenB);
    const answer = await this.callNode('POST', this.endpoint('credentials', 'SENDER')!, this.ourCredentials(tokenB), tokenA);
    if (answer.status === 200 && answer.body?.status_code === 1000) {
      this.nodeCredentials = answer.body.data;
      this.tokenForNode = answer.body.data.token;
    }
    return { posted: true, status: answer.status, body: answer.body };
  }

  /** The stored URL of `identifier` in `role` (credentials: any role, its role has no meaning). */
  endpoint(identifier: string, role: string): string | undefined {
    return this.stored.find((e) => e.identifier === identifier && (identifier === 'credentials' || e.role === role))?.url;
  }

  /** Pulls every location from the stored SENDER URL with token C, following `Link` to the end. */
  async pullLocations(): Promise<{ pages: { status: number; statusCode: number }[]; locations: { id: string }[] }> {
    let url = this.endpoint('locations', 'SENDER');
    if (!url) throw new Error('no locations SENDER endpoint stored');
    const pages: { status: number; statusCode: number }[] = [];
    const locations: { id: string }[] = [];
    while (url) {
      const response = await fetch(url, { headers: { Authorization: tokenHeader(this.tokenForNode ?? '') } });
      const body = (await response.json()) as { status_code: number; data?: { id: string }[] };
      pages.push({ status: response.status, statusCode: body.status_code });
      if (response.status !== 200) break;
      locations.push(...(body.data ?? []));
      url = /^<([^>]+)>;\s*rel="next"$/.exec(response.headers.get('link') ?? '')?.[1];
    }
    return { pages, locations };
  }
}
