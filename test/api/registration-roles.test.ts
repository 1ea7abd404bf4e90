import request from 'supertest';
import { Credentials } from '../../src/modules/credentials/credentials.schema';
import { Location } from '../../src/modules/locations/locations.schema';
import { problemsWith } from '../../src/ocpi/validate';
import { tokenHeader } from '../helpers/fake-emsp';
import { locationBody } from '../helpers/location-factory';
import { expectOcpi } from '../helpers/ocpi-assertions';
import { SpecFollowingEmsp } from '../helpers/spec-emsp';
import { startTestApp, type TestApp } from '../helpers/test-app';
import { databasePerSuite } from '../helpers/test-database';

/** Issue 8 item 1: a registration token carries the role its party will hold (digest §2.3 step 3). */

const db = databasePerSuite();
let node: TestApp;
let emsp: SpecFollowingEmsp;

const admin = () => ({ Authorization: `Bearer ${node.adminToken}` });

beforeEach(async () => {
  node = await startTestApp(db);
});
afterEach(async () => {
  await emsp?.stop();
  await node.close();
});

async function createSlot(body?: object): Promise<{ id: string; token_a: string; versions_url: string; role: string }> {
  const res = await request(node.app).post('/admin/partners').set(admin()).send(body);
  expectOcpi(res, 201, 1000);
  return res.body.data;
}

async function activeTokenRoles(partnerId: string): Promise<string[]> {
  const tokens = await db.prisma.accessToken.findMany({ where: { partnerId, status: 'ACTIVE' }, select: { role: true } });
  return tokens.map((t) => t.role);
}

describe('an eMSP that follows the spec registers with token A', () => {
  it('when it stores only what token A shows, then it finds locations SENDER, registers, and pulls locations with token C from the stored URL', async () => {
    expectOcpi(await request(node.app).put('/admin/locations/L1').set(admin()).send(locationBody('L1')), 201, 1000, Location);
    const slot = await createSlot();
    emsp = await new SpecFollowingEmsp().start();

    const registration = await emsp.registerFollowingSpec(slot.versions_url, slot.token_a);
    expect(registration).toMatchObject({ posted: true, status: 200, body: { status_code: 1000 } });
    expect(problemsWith(Credentials, (registration as { body: { data: unknown } }).body.data)).toEqual([]);
    expect(emsp.stored).toContainEqual({ identifier: 'locations', role: 'SENDER', url: `${node.baseUrl}/ocpi/2.2.1/locations` });

    const pulled = await emsp.pullLocations();
    expect(pulled.pages).toEqual([{ status: 200, statusCode: 1000 }]);
    expect(pulled.locations.map((l) => l.id)).toEqual(['L1']);
    for (const location of pulled.locations) expect(problemsWith(Location, location)).toEqual([]);
  });
});

describe('a registration slot is for one role', () => {
  it('when a slot is created for an NSP, then its token A lists credentials, locations, tariffs and cdrs (every partner role pulls its own CDRs), and the NSP registers with an NSP token', async () => {
    const slot = await createSlot({ role: 'NSP' });
    expect(slot).toEqual({ id: expect.any(String), token_a: expect.any(String), versions_url: node.versionsUrl, role: 'NSP' });
    const details = await request(node.app).get('/ocpi/2.2.1').set('Authorization', tokenHeader(slot.token_a));
    expectOcpi(details, 200, 1000);
    expect(details.body.data.endpoints.map((e: { identifier: string; role: string }) => `${e.identifier} ${e.role}`)).toEqual([
      'credentials SENDER',
      'locations SENDER',
      'tariffs SENDER',
    ]);

    emsp = await new SpecFollowingEmsp({ role: 'NSP' }).start();
    expect(await emsp.registerFollowingSpec(slot.versions_url, slot.token_a)).toMatchObject({ posted: true, body: { status_code: 1000 } });
    expect(await activeTokenRoles(slot.id)).toEqual(['NSP']);
    const partner = await request(node.app).get(`/admin/partners/${slot.id}`).set(admin());
    expectOcpi(partner, 200, 1000);
    expect(partner.body.data).toMatchObject({ status: 'REGISTERED', role: 'NSP', roles: [{ role: 'NSP' }] });
  });

  it('when token A is used on locations, then 401: it still opens only versions and credentials', async () => {
    const slot = await createSlot();
    const res = await request(node.app).get('/ocpi/2.2.1/locations').set('Authorization', tokenHeader(slot.token_a));
    expectOcpi(res, 401, 2000);
    expect(res.body.status_message).toBe('A registration token (token A) may only be used on versions and credentials');
  });

  it('when the POSTed credentials do not list the slot role, then 400 / 2001, nothing is stored and token A still works', async () => {
    const slot = await createSlot({ role: 'NSP' });
    emsp = await new SpecFollowingEmsp().start();
    const refused = await emsp.registerFollowingSpec(slot.versions_url, slot.token_a);
    expect(refused).toMatchObject({ posted: true, status: 400, body: { status_code: 2001 } });
    expect((refused as { body: { status_message: string } }).body.status_message).toBe(
      'Invalid body: /roles: this registration is for role NSP; the credentials list EMSP',
    );
    expect(emsp.requestsTo('/ocpi/versions')).toHaveLength(0);
    const stored = await db.prisma.partner.findUniqueOrThrow({ where: { id: slot.id } });
    expect({ status: stored.status, roles: stored.roles, endpoints: stored.endpoints }).toEqual({ status: 'PENDING', roles: [], endpoints: [] });
    expect(await activeTokenRoles(slot.id)).toEqual(['NSP']);

    const nsp = await new SpecFollowingEmsp({ role: 'NSP' }).start();
    try {
      expect(await nsp.registerFollowingSpec(slot.versions_url, slot.token_a)).toMatchObject({ posted: true, body: { status_code: 1000 } });
    } finally {
      await nsp.stop();
    }
  });

  it.each([
    ['an unknown role', { role: 'ADMIN' }, '/role'],
    ['our own role', { role: 'CPO' }, '/role'],
    ['a lower-case role', { role: 'nsp' }, '/role'],
    ['an unknown field', { role: 'NSP', roles: ['HUB'] }, '/roles'],
  ])('when the slot body has %s, then 400 / 2001 naming the field and nothing is stored', async (_label, body, field) => {
    const res = await request(node.app).post('/admin/partners').set(admin()).send(body);
    expectOcpi(res, 400, 2001);
    expect(res.body.status_message).toContain(field);
    expect(await db.prisma.partner.count()).toBe(0);
  });

  it('when the slot body is empty, then the slot is for an eMSP', async () => {
    expect((await createSlot({})).role).toBe('EMSP');
  });

  it('when a registered NSP PUTs credentials listing only HUB, then its new token stays NSP, and so does the token of a later rotation', async () => {
    const slot = await createSlot({ role: 'NSP' });
    emsp = await new SpecFollowingEmsp({ role: 'NSP' }).start();
    await emsp.registerFollowingSpec(slot.versions_url, slot.token_a);
    emsp.acceptedTokens.add('upgrade-b');
    const asHub = { ...emsp.ourCredentials('upgrade-b'), roles: [{ role: 'HUB', business_details: { name: 'Hub' }, party_id: 'HUB', country_code: 'DE' }] };
    const put = await request(node.app).put('/ocpi/2.2.1/credentials').set('Authorization', tokenHeader(emsp.tokenForNode!)).send(asHub);
    expectOcpi(put, 200, 1000, Credentials);
    expect(await activeTokenRoles(slot.id)).toEqual(['NSP']);
    const updated = await request(node.app).get(`/admin/partners/${slot.id}`).set(admin());
    expect(updated.body.data).toMatchObject({ role: 'NSP', roles: [{ role: 'HUB' }] });

    // Rotation issues the new token with the role the partner's tokens carry, not one read from its roles.
    const rotated = await request(node.app).post(`/admin/partners/${slot.id}/rotate`).set(admin());
    expectOcpi(rotated, 200, 1000);
    expect(rotated.body.data).toMatchObject({ role: 'NSP' });
    expect(await activeTokenRoles(slot.id)).toEqual(['NSP']);
  });
});

describe('the node registers with a partner for a role', () => {
  const TOKEN_A = 'partner-issued-token-a';
  const register = (body: object) => request(node.app).post('/admin/partners/register').set(admin()).send(body);

  it('when the partner reads our version details with token B during our POST, then it sees locations SENDER', async () => {
    emsp = await new SpecFollowingEmsp({ tokenA: TOKEN_A }).start();
    emsp.discoverNodeOnCredentials = true;
    const res = await register({ versions_url: emsp.versionsUrl, token: TOKEN_A });
    expectOcpi(res, 201, 1000);
    expect(res.body.data).toMatchObject({ status: 'REGISTERED', role: 'EMSP', roles: [{ role: 'EMSP' }] });
    expect(emsp.nodeDiscoveries).toHaveLength(1);
    expect(emsp.nodeDiscoveries[0]!.token).toBe(emsp.tokenForNode);
    expect(emsp.nodeDiscoveries[0]!.status).toBe(200);
    expect(emsp.nodeDiscoveries[0]!.endpoints).toContainEqual({ identifier: 'locations', role: 'SENDER', url: `${node.baseUrl}/ocpi/2.2.1/locations` });
    expect(await activeTokenRoles(res.body.data.id)).toEqual(['EMSP']);
  });

  it('when the partner’s credentials do not list the role, then 409, our credentials are deleted at the partner and nothing is stored', async () => {
    emsp = await new SpecFollowingEmsp({ tokenA: TOKEN_A }).start();
    const res = await register({ versions_url: emsp.versionsUrl, token: TOKEN_A, role: 'NSP' });
    expectOcpi(res, 409, 2000);
    expect(res.body.status_message).toBe("This registration is for role NSP; the partner's credentials list EMSP: registration undone");
    expect(emsp.requests.map((r) => `${r.method} ${r.path}`).slice(-2)).toEqual(['POST /ocpi/2.2.1/credentials', 'DELETE /ocpi/2.2.1/credentials']);
    expect(await db.prisma.partner.count()).toBe(0);
    expect(await db.prisma.accessToken.count({ where: { role: { not: 'ADMIN' } } })).toBe(0);
  });

  it('when the partner’s credentials repeat a role, then 502, our credentials are deleted at the partner and nothing is stored', async () => {
    emsp = await new SpecFollowingEmsp({ tokenA: TOKEN_A }).start();
    const answer = emsp.ourCredentials.bind(emsp);
    emsp.ourCredentials = (token: string) => {
      const credentials = answer(token);
      return { ...credentials, roles: [...credentials.roles, ...credentials.roles] };
    };
    const res = await register({ versions_url: emsp.versionsUrl, token: TOKEN_A });
    expectOcpi(res, 502, 3001);
    expect(res.body.status_message).toContain('repeat a role');
    expect(emsp.requests.map((r) => `${r.method} ${r.path}`).slice(-2)).toEqual(['POST /ocpi/2.2.1/credentials', 'DELETE /ocpi/2.2.1/credentials']);
    expect(await db.prisma.partner.count()).toBe(0);
    expect(await db.prisma.accessToken.count({ where: { role: { not: 'ADMIN' } } })).toBe(0);
  });

  it('when the register body names a bad role, then 400 / 2001 naming it and the partner is never called', async () => {
    emsp = await new SpecFollowingEmsp({ tokenA: TOKEN_A }).start();
    const res = await register({ versions_url: emsp.versionsUrl, token: TOKEN_A, role: 'CPO' });
    expectOcpi(res, 400, 2001);
    expect(res.body.status_message).toContain('/role');
    expect(emsp.requests).toHaveLength(0);
  });
});
