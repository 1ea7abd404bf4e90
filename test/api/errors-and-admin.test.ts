import request from 'supertest';
import { FakeEmsp, tokenHeader } from '../helpers/fake-emsp';
import { expectOcpi } from '../helpers/ocpi-assertions';
import { startTestApp, type TestApp } from '../helpers/test-app';
import { databasePerSuite } from '../helpers/test-database';

const db = databasePerSuite();
let node: TestApp;

beforeEach(async () => {
  node = await startTestApp(db);
});
afterEach(async () => {
  await node.close();
});

const admin = () => ({ Authorization: `Bearer ${node.adminToken}` });

describe('errors always leave as OCPI envelopes', () => {
  it('when a route does not exist, then 404 / 2000', async () => {
    expectOcpi(await request(node.app).get('/no/such/route').set(admin()), 404, 2000);
  });

  it('when the body is malformed JSON, then 400 / 2001 and nothing is stored', async () => {
    const res = await request(node.app).post('/admin/partners/register').set(admin()).set('Content-Type', 'application/json').send('{"versions_url": ');
    expectOcpi(res, 400, 2001);
    expect(await db.prisma.partner.count()).toBe(0);
  });

  it('when the body is over BODY_LIMIT, then 413 and nothing is stored', async () => {
    const big = { versions_url: 'http://127.0.0.1:9/versions', token: 'x'.repeat(10), padding: 'p'.repeat(70 * 1024) };
    const res = await request(node.app).post('/admin/partners/register').set(admin()).send(big);
    expectOcpi(res, 413, 2000);
    expect(await db.prisma.partner.count()).toBe(0);
  });

  it('when a credentials body is over BODY_LIMIT, then 413 and token A is untouched', async () => {
    const slot = await request(node.app).post('/admin/partners').set(admin());
    const res = await request(node.app)
      .post('/ocpi/2.2.1/credentials')
      .set('Authorization', tokenHeader(slot.body.data.token_a))
      .send({ token: 't'.repeat(10), url: 'http://x/', roles: [], padding: 'p'.repeat(70 * 1024) });
    expectOcpi(res, 413, 2000);
    expectOcpi(await request(node.app).get('/ocpi/versions').set('Authorization', tokenHeader(slot.body.data.token_a)), 200, 1000);
  });

  it('when something unexpected breaks, then 500 / 3000 with a generic message and the stack in the log', async () => {
    await node.close();
    node = await startTestApp(db, {
      mapDeps: (deps) => ({
        ...deps,
        resolveToken: async () => {
          throw new Error('database exploded: secret detail');
        },
      }),
    });
    const res = await request(node.app).get('/ocpi/versions').set('Authorization', tokenHeader('anything'));
    expectOcpi(res, 500, 3000);
    expect(res.body.status_message).toBe('Internal server error');
    expect(node.logLines.some((line) => line.includes('database exploded') && line.includes('stack'))).toBe(true);
  });
});

describe('the partner admin API', () => {
  it('when no token, a partner token or a token A is used, then 401', async () => {
    expectOcpi(await request(node.app).get('/admin/partners'), 401, 2000);
    const slot = await request(node.app).post('/admin/partners').set(admin());
    expectOcpi(await request(node.app).get('/admin/partners').set('Authorization', `Bearer ${slot.body.data.token_a}`), 401, 2000);
    expectOcpi(await request(node.app).get('/admin/partners').set('Authorization', 'Bearer wrong-admin-token'), 401, 2000);
  });

  it('when the admin token is sent as OCPI Token header, then it is accepted too', async () => {
    expectOcpi(await request(node.app).get('/admin/partners').set('Authorization', tokenHeader(node.adminToken)), 200, 1000);
  });

  it('when a slot is created, then it is listed as PENDING with no roles, the eMSP role it will hold, and its token A only shown once', async () => {
    const created = await request(node.app).post('/admin/partners').set(admin());
    expectOcpi(created, 201, 1000);
    expect(created.body.data).toEqual({ id: expect.any(String), token_a: expect.any(String), versions_url: node.versionsUrl, role: 'EMSP' });

    const list = await request(node.app).get('/admin/partners').set(admin());
    expectOcpi(list, 200, 1000);
    expect(list.body.data).toEqual([
      expect.objectContaining({ id: created.body.data.id, status: 'PENDING', role: 'EMSP', roles: [], endpoints: [], registered_at: null }),
    ]);
    expect(JSON.stringify(list.body)).not.toContain(created.body.data.token_a);
    const stored = await db.prisma.accessToken.findFirstOrThrow({ where: { partnerId: created.body.data.id } });
    expect(stored.tokenHash).not.toContain(created.body.data.token_a);
    expect(stored.tokenHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('when a partner is fetched, then it carries an ETag and If-None-Match answers 304', async () => {
    const created = await request(node.app).post('/admin/partners').set(admin());
    const res = await request(node.app).get(`/admin/partners/${created.body.data.id}`).set(admin());
    expectOcpi(res, 200, 1000);
    // The row's version, then a digest of what the view shows beside the row (reachability, queue).
    expect(res.headers.etag).toMatch(/^"1\.[A-Za-z0-9_-]{16}"$/);
    const again = await request(node.app).get(`/admin/partners/${created.body.data.id}`).set(admin()).set('If-None-Match', res.headers.etag!);
    expect(again.status).toBe(304);
  });

  it('when an unknown or malformed partner id is used, then 404', async () => {
    expectOcpi(await request(node.app).get('/admin/partners/5a0e5d0e-0000-4000-8000-000000000000').set(admin()), 404, 2000);
    expectOcpi(await request(node.app).get('/admin/partners/not-a-uuid').set(admin()), 404, 2000);
    expectOcpi(await request(node.app).delete('/admin/partners/not-a-uuid').set(admin()), 404, 2000);
  });

  it('when an unused slot is deleted, then its token A stops working', async () => {
    const created = await request(node.app).post('/admin/partners').set(admin());
    const res = await request(node.app).delete(`/admin/partners/${created.body.data.id}`).set(admin());
    expectOcpi(res, 200, 1000);
    expect(res.body.data.status).toBe('UNREGISTERED');
    expectOcpi(await request(node.app).get('/ocpi/versions').set('Authorization', tokenHeader(created.body.data.token_a)), 401, 2000);
  });

  it('when an unsupported method is used, then 405 with Allow', async () => {
    const res = await request(node.app).put('/admin/partners').set(admin()).send({});
    expectOcpi(res, 405, 2000);
    expect(res.headers.allow).toBe('GET, POST');
  });
});

describe('logs', () => {
  it('when partners register and call, then no log line contains any token, and every request has one access line', async () => {
    const emsp = await new FakeEmsp({ tokenA: 'emsp-side-token-a-secret' }).start();
    try {
      const slot = await request(node.app).post('/admin/partners').set(admin());
      await emsp.registerWithNode(slot.body.data.versions_url, slot.body.data.token_a);
      await request(node.app).post('/admin/partners/register').set(admin()).send({ versions_url: emsp.versionsUrl, token: 'emsp-side-token-a-secret' });
      const secrets = [node.adminToken, slot.body.data.token_a, emsp.tokenForNode!, 'emsp-side-token-a-secret', ...emsp.acceptedTokens];
      const stored = await db.prisma.partner.findMany();
      secrets.push(...stored.map((p) => p.outboundToken).filter((t): t is string => !!t));
      const all = node.logLines.join('\n');
      for (const secret of secrets) {
        expect(all).not.toContain(secret);
        expect(all).not.toContain(Buffer.from(secret).toString('base64'));
      }
      const access = node.logLines.map((l) => JSON.parse(l)).filter((l) => l.message === 'request');
      expect(access.length).toBeGreaterThanOrEqual(4);
      for (const line of access) {
        expect(line).toEqual(
          expect.objectContaining({ method: expect.any(String), path: expect.any(String), status: expect.any(Number), duration_ms: expect.any(Number), request_id: expect.any(String), correlation_id: expect.any(String) }),
        );
      }
      const partnerLines = access.filter((l) => l.path === '/ocpi/2.2.1/credentials' && l.status === 200);
      expect(partnerLines[0].partner).toBe(slot.body.data.id);
    } finally {
      await emsp.stop();
    }
  });
});
