import request from 'supertest';
import { Credentials } from '../../src/modules/credentials/credentials.schema';
import { FakeEmsp, tokenHeader } from '../helpers/fake-emsp';
import { expectOcpi } from '../helpers/ocpi-assertions';
import { startTestApp, type TestApp } from '../helpers/test-app';
import { databasePerSuite } from '../helpers/test-database';

const db = databasePerSuite();
let node: TestApp;
let emsp: FakeEmsp;

beforeEach(async () => {
  node = await startTestApp(db);
  emsp = await new FakeEmsp().start();
});
afterEach(async () => {
  await emsp.stop();
  await node.close();
});

async function createSlot(): Promise<{ id: string; token_a: string; versions_url: string }> {
  const res = await request(node.app).post('/admin/partners').set('Authorization', `Bearer ${node.adminToken}`);
  expectOcpi(res, 201, 1000);
  return res.body.data;
}

const credentialsPath = '/ocpi/2.2.1/credentials';

describe('an eMSP registers with a token A from the admin API', () => {
  it('when the handshake succeeds, then the eMSP holds a new token that works and token A is dead', async () => {
    const slot = await createSlot();
    expect(slot.versions_url).toBe(node.versionsUrl);

    const answer = await emsp.registerWithNode(slot.versions_url, slot.token_a);
    expect(answer.status).toBe(200);
    expect(answer.body.status_code).toBe(1000);
    const ours = answer.body.data;
    expect(ours).toEqual({
      token: expect.stringMatching(/^[\x21-\x7E]{1,64}$/),
      url: node.versionsUrl,
      roles: [{ role: 'CPO', business_details: { name: 'Test CPO' }, party_id: 'CPO', country_code: 'NL' }],
    });
    expect(ours.token).not.toBe(slot.token_a);

    // The node called the eMSP back with token B before answering.
    expect(emsp.requestsTo('/ocpi/versions', 'GET')).toHaveLength(1);
    expect(emsp.requestsTo('/ocpi/2.2.1', 'GET')).toHaveLength(1);

    const withC = await request(node.app).get(credentialsPath).set('Authorization', tokenHeader(ours.token));
    expectOcpi(withC, 200, 1000, Credentials);
    expect(withC.body.data.token).toBe(ours.token);

    const reuse = await request(node.app).get('/ocpi/versions').set('Authorization', tokenHeader(slot.token_a));
    expectOcpi(reuse, 401, 2000);

    const partner = await request(node.app).get(`/admin/partners/${slot.id}`).set('Authorization', `Bearer ${node.adminToken}`);
    expectOcpi(partner, 200, 1000);
    expect(partner.body.data).toMatchObject({
      id: slot.id,
      status: 'REGISTERED',
      version: '2.2.1',
      versions_url: emsp.versionsUrl,
      roles: [{ role: 'EMSP', party_id: 'MSP', country_code: 'DE' }],
    });
    expect(partner.body.data.endpoints.map((e: { identifier: string }) => e.identifier)).toEqual(['credentials', 'locations', 'tokens']);
    expect(partner.body.data.registered_at).toEqual(expect.any(String));
  });

  it('when the registered eMSP POSTs again, then it gets 405 and its token keeps working', async () => {
    const slot = await createSlot();
    await emsp.registerWithNode(slot.versions_url, slot.token_a);
    const again = await request(node.app)
      .post(credentialsPath)
      .set('Authorization', tokenHeader(emsp.tokenForNode!))
      .send(emsp.ourCredentials('another-token-b'));
    expectOcpi(again, 405, 2000);
    const still = await request(node.app).get(credentialsPath).set('Authorization', tokenHeader(emsp.tokenForNode!));
    expectOcpi(still, 200, 1000);
  });

  it('when token A is sent raw instead of Base64, then it is accepted too (legacy peers)', async () => {
    const slot = await createSlot();
    const res = await request(node.app).get('/ocpi/versions').set('Authorization', `Token ${slot.token_a}`);
    expectOcpi(res, 200, 1000);
  });

  it('when token A is used on anything but versions and credentials, then 401', async () => {
    const slot = await createSlot();
    const res = await request(node.app).get('/admin/partners').set('Authorization', tokenHeader(slot.token_a));
    expectOcpi(res, 401, 2000);
  });

  it.each([
    ['unreachable', 'down'],
    ['answering garbage', 'garbage'],
    ['answering HTTP 500', 'http-500'],
    ['hanging past the timeout', 'hang'],
  ])('when the eMSP is %s during the callback, then 3001 and token A still works', async (_label, mode) => {
    const slot = await createSlot();
    const tokenB = 'emsp-token-b-for-failure';
    if (mode === 'down') await emsp.stop();
    else emsp.mode = mode as FakeEmsp['mode'];
    const res = await request(node.app)
      .post(credentialsPath)
      .set('Authorization', tokenHeader(slot.token_a))
      .send({ ...emsp.ourCredentials(tokenB), url: mode === 'down' ? 'http://127.0.0.1:9/ocpi/versions' : emsp.versionsUrl });
    expectOcpi(res, 200, 3001);
    const retry = await request(node.app).get('/ocpi/versions').set('Authorization', tokenHeader(slot.token_a));
    expectOcpi(retry, 200, 1000);
    const stored = await db.prisma.partner.findUniqueOrThrow({ where: { id: slot.id } });
    expect(stored.status).toBe('PENDING');
  });

  it('when the eMSP offers no 2.2.1, then 3002', async () => {
    const slot = await createSlot();
    emsp.mode = 'no-2.2.1';
    emsp.acceptedTokens.add('tok-b');
    const res = await request(node.app).post(credentialsPath).set('Authorization', tokenHeader(slot.token_a)).send(emsp.ourCredentials('tok-b'));
    expectOcpi(res, 200, 3002);
  });

  it('when the eMSP lists no credentials endpoint, then 3003', async () => {
    const slot = await createSlot();
    emsp.mode = 'no-credentials-endpoint';
    emsp.acceptedTokens.add('tok-b');
    const res = await request(node.app).post(credentialsPath).set('Authorization', tokenHeader(slot.token_a)).send(emsp.ourCredentials('tok-b'));
    expectOcpi(res, 200, 3003);
  });

  it('when the body is not a valid Credentials object, then 400 / 2001 names the fields and nothing is stored', async () => {
    const slot = await createSlot();
    const res = await request(node.app)
      .post(credentialsPath)
      .set('Authorization', tokenHeader(slot.token_a))
      .send({ token: 'has a space', url: 'not a url', roles: [] });
    expectOcpi(res, 400, 2001);
    expect(res.body.status_message).toContain('/token');
    expect(res.body.status_message).toContain('/url');
    expect(res.body.status_message).toContain('/roles');
    expect(emsp.requests).toHaveLength(0);
    const stored = await db.prisma.partner.findUniqueOrThrow({ where: { id: slot.id } });
    expect(stored.status).toBe('PENDING');
  });

  it('when two POSTs race with the same token A, then exactly one registers', async () => {
    const slot = await createSlot();
    emsp.acceptedTokens.add('race-b1');
    emsp.acceptedTokens.add('race-b2');
    const post = (token: string) =>
      request(node.app).post(credentialsPath).set('Authorization', tokenHeader(slot.token_a)).send(emsp.ourCredentials(token));
    const results = await Promise.all([post('race-b1'), post('race-b2')]);
    const [winner, loser] = [...results].sort((a, b) => a.status - b.status);
    expectOcpi(winner!, 200, 1000);
    // The loser either finds token A already dead (401) or loses the claim on it inside the transaction (405).
    expect([401, 405]).toContain(loser!.status);
    const active = await db.prisma.accessToken.count({ where: { partnerId: slot.id, status: 'ACTIVE' } });
    expect(active).toBe(1);
  });
});

describe('a registered eMSP updates or leaves', () => {
  async function registered(): Promise<string> {
    const slot = await createSlot();
    await emsp.registerWithNode(slot.versions_url, slot.token_a);
    return slot.id;
  }

  it('when it PUTs new credentials, then versions and details are re-fetched, tokens rotate and the old token dies', async () => {
    await registered();
    const oldToken = emsp.tokenForNode!;
    emsp.requests.length = 0;
    emsp.acceptedTokens.add('rotated-b');
    const res = await request(node.app).put(credentialsPath).set('Authorization', tokenHeader(oldToken)).send(emsp.ourCredentials('rotated-b'));
    expectOcpi(res, 200, 1000, Credentials);
    const newToken = res.body.data.token as string;
    expect(newToken).not.toBe(oldToken);
    expect(emsp.requestsTo('/ocpi/versions')).toHaveLength(1);
    expect(emsp.requestsTo('/ocpi/2.2.1')).toHaveLength(1);
    expect(emsp.requests.every((r) => r.headers.authorization === tokenHeader('rotated-b'))).toBe(true);

    expectOcpi(await request(node.app).get(credentialsPath).set('Authorization', tokenHeader(oldToken)), 401, 2000);
    expectOcpi(await request(node.app).get(credentialsPath).set('Authorization', tokenHeader(newToken)), 200, 1000);
  });

  it('when the PUT callback fails, then 3001 and the old tokens stay valid', async () => {
    const id = await registered();
    const oldToken = emsp.tokenForNode!;
    const before = await db.prisma.partner.findUniqueOrThrow({ where: { id } });
    emsp.mode = 'http-500';
    const res = await request(node.app).put(credentialsPath).set('Authorization', tokenHeader(oldToken)).send(emsp.ourCredentials('rotated-b'));
    expectOcpi(res, 200, 3001);
    expectOcpi(await request(node.app).get(credentialsPath).set('Authorization', tokenHeader(oldToken)), 200, 1000);
    const after = await db.prisma.partner.findUniqueOrThrow({ where: { id } });
    expect(after.outboundToken).toBe(before.outboundToken);
    expect(after.rowVersion).toBe(before.rowVersion);
  });

  it('when it DELETEs, then it is unregistered and its token no longer works', async () => {
    const id = await registered();
    const token = emsp.tokenForNode!;
    expectOcpi(await request(node.app).delete(credentialsPath).set('Authorization', tokenHeader(token)), 200, 1000);
    expectOcpi(await request(node.app).get(credentialsPath).set('Authorization', tokenHeader(token)), 401, 2000);
    const stored = await db.prisma.partner.findUniqueOrThrow({ where: { id } });
    expect(stored.status).toBe('UNREGISTERED');
    expect(stored.outboundToken).toBeNull();
  });

  it('when PUT or DELETE come with a token A (not registered), then 405', async () => {
    const slot = await createSlot();
    const put = await request(node.app).put(credentialsPath).set('Authorization', tokenHeader(slot.token_a)).send(emsp.ourCredentials('x-token'));
    expectOcpi(put, 405, 2000);
    expectOcpi(await request(node.app).delete(credentialsPath).set('Authorization', tokenHeader(slot.token_a)), 405, 2000);
  });

  it('when PATCH is used, then 405 with Allow', async () => {
    const slot = await createSlot();
    const res = await request(node.app).patch(credentialsPath).set('Authorization', tokenHeader(slot.token_a)).send({});
    expectOcpi(res, 405, 2000);
    expect(res.headers.allow).toBe('GET, POST, PUT, DELETE');
  });
});
