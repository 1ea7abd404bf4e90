import request from 'supertest';
import { FakeEmsp, tokenHeader } from '../helpers/fake-emsp';
import { expectOcpi } from '../helpers/ocpi-assertions';
import { startTestApp, type TestApp } from '../helpers/test-app';
import { databasePerSuite } from '../helpers/test-database';

const db = databasePerSuite();
let node: TestApp;
let emsp: FakeEmsp;
const TOKEN_A = 'emsp-issued-token-a';

beforeEach(async () => {
  node = await startTestApp(db);
  emsp = await new FakeEmsp({ tokenA: TOKEN_A }).start();
});
afterEach(async () => {
  await emsp.stop();
  await node.close();
});

const admin = () => ({ Authorization: `Bearer ${node.adminToken}` });
const register = (body: object) => request(node.app).post('/admin/partners/register').set(admin()).send(body);

describe('the operator registers the node with an eMSP', () => {
  it('when the eMSP accepts, then both sides hold each other’s tokens and the partner is REGISTERED', async () => {
    const res = await register({ versions_url: emsp.versionsUrl, token: TOKEN_A });
    expectOcpi(res, 201, 1000);
    expect(res.body.data).toMatchObject({ status: 'REGISTERED', version: '2.2.1', versions_url: emsp.versionsUrl });
    expect(res.body.data.roles).toEqual([{ role: 'EMSP', business_details: { name: 'Fake eMSP' }, party_id: 'MSP', country_code: 'DE' }]);
    expect(res.body.data).not.toHaveProperty('outbound_token');
    expect(res.headers.etag).toMatch(/^"\d+"$/);

    // Token A was used for discovery and the POST; our token B was offered with our versions URL.
    const post = emsp.requestsTo('/ocpi/2.2.1/credentials', 'POST')[0]!;
    expect(post.headers.authorization).toBe(tokenHeader(TOKEN_A));
    expect(post.headers['x-request-id']).toBeTruthy();
    expect(post.headers['x-correlation-id']).toBeTruthy();
    expect(post.headers['ocpi-from-party-id']).toBeUndefined();
    expect(emsp.nodeCredentials).toMatchObject({ url: node.versionsUrl, roles: [{ role: 'CPO', country_code: 'NL', party_id: 'CPO' }] });

    // Token B works on the node's OCPI API now that the partner is registered.
    const withB = await emsp.callNode('GET', `${node.baseUrl}/ocpi/2.2.1/credentials`);
    expect(withB.status).toBe(200);
    expect(withB.body.data.token).toBe(emsp.tokenForNode);

    // From now on the node calls the eMSP with token C, which the eMSP accepts.
    const stored = await db.prisma.partner.findUniqueOrThrow({ where: { id: res.body.data.id } });
    expect(emsp.acceptedTokens.has(stored.outboundToken!)).toBe(true);
    expect(stored.outboundToken).not.toBe(TOKEN_A);
  });

  it('when the eMSP is unreachable, then 502 / 3001 and no partner is stored', async () => {
    await emsp.stop();
    const res = await register({ versions_url: emsp.versionsUrl, token: TOKEN_A });
    expectOcpi(res, 502, 3001);
    expect(await db.prisma.partner.count()).toBe(0);
  });

  it('when the eMSP rejects the credentials POST, then 502 / 3001 and our token B is gone with the pending partner', async () => {
    emsp.rejectCredentials = true;
    const res = await register({ versions_url: emsp.versionsUrl, token: TOKEN_A });
    expect(emsp.requestsTo('/ocpi/2.2.1/credentials', 'POST')).toHaveLength(1);
    expectOcpi(res, 502, 3001);
    expect(await db.prisma.partner.count()).toBe(0);
    expect(await db.prisma.accessToken.count({ where: { role: { not: 'ADMIN' } } })).toBe(0);
  });

  it('when the eMSP offers no 2.2.1, then 502 / 3002 and nothing is stored', async () => {
    emsp.mode = 'no-2.2.1';
    const res = await register({ versions_url: emsp.versionsUrl, token: TOKEN_A });
    expectOcpi(res, 502, 3002);
    expect(await db.prisma.partner.count()).toBe(0);
  });

  it('when the token A is wrong, then 502 / 3001', async () => {
    const res = await register({ versions_url: emsp.versionsUrl, token: 'not-the-token' });
    expectOcpi(res, 502, 3001);
    expect(res.body.status_message).toContain('HTTP 401');
  });

  it('when the body is invalid, then 400 / 2001 naming the fields and the eMSP is never called', async () => {
    const res = await register({ versions_url: 'nope', token: '', extra: 1 });
    expectOcpi(res, 400, 2001);
    expect(res.body.status_message).toEqual(expect.stringContaining('/versions_url'));
    expect(res.body.status_message).toEqual(expect.stringContaining('/token'));
    expect(res.body.status_message).toEqual(expect.stringContaining('/extra'));
    expect(emsp.requests).toHaveLength(0);
  });

  it('when the same eMSP is registered twice, then 409', async () => {
    expectOcpi(await register({ versions_url: emsp.versionsUrl, token: TOKEN_A }), 201, 1000);
    expectOcpi(await register({ versions_url: emsp.versionsUrl, token: TOKEN_A }), 409, 2000);
  });

  it('when the operator rotates, then the node PUTs a new token after re-reading versions, and the old token B dies', async () => {
    const res = await register({ versions_url: emsp.versionsUrl, token: TOKEN_A });
    const oldB = emsp.tokenForNode!;
    emsp.requests.length = 0;
    const rotated = await request(node.app).post(`/admin/partners/${res.body.data.id}/rotate`).set(admin());
    expectOcpi(rotated, 200, 1000);
    expect(emsp.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /ocpi/versions',
      'GET /ocpi/2.2.1',
      'PUT /ocpi/2.2.1/credentials',
    ]);
    const newB = emsp.tokenForNode!;
    expect(newB).not.toBe(oldB);
    expect((await emsp.callNode('GET', `${node.baseUrl}/ocpi/2.2.1/credentials`, undefined, oldB)).status).toBe(401);
    expect((await emsp.callNode('GET', `${node.baseUrl}/ocpi/2.2.1/credentials`, undefined, newB)).status).toBe(200);
  });

  it('when the operator unregisters, then the eMSP gets DELETE and every token of the partner dies', async () => {
    const res = await register({ versions_url: emsp.versionsUrl, token: TOKEN_A });
    const tokenB = emsp.tokenForNode!;
    const stored = await db.prisma.partner.findUniqueOrThrow({ where: { id: res.body.data.id } });
    const gone = await request(node.app).delete(`/admin/partners/${res.body.data.id}`).set(admin());
    expectOcpi(gone, 200, 1000);
    expect(gone.body.data.status).toBe('UNREGISTERED');
    const del = emsp.requestsTo('/ocpi/2.2.1/credentials', 'DELETE');
    expect(del).toHaveLength(1);
    expect(del[0]!.headers.authorization).toBe(tokenHeader(stored.outboundToken!));
    expect((await emsp.callNode('GET', `${node.baseUrl}/ocpi/versions`, undefined, tokenB)).status).toBe(401);
  });

  it('when the eMSP is down at unregistration, then the node still unregisters locally', async () => {
    const res = await register({ versions_url: emsp.versionsUrl, token: TOKEN_A });
    await emsp.stop();
    const gone = await request(node.app).delete(`/admin/partners/${res.body.data.id}`).set(admin());
    expectOcpi(gone, 200, 1000);
    expect(gone.body.data.status).toBe('UNREGISTERED');
  });
});
