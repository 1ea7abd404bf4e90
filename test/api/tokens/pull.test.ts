import request from 'supertest';
import { TokenPullResult } from '../../../src/modules/tokens/tokens.schema';
import { FakeEmsp } from '../../helpers/fake-emsp';
import { expectOcpi } from '../../helpers/ocpi-assertions';
import { startTestApp, type TestApp } from '../../helpers/test-app';
import { databasePerSuite } from '../../helpers/test-database';
import { eventually } from '../push/push-harness';
import { expectToken, expectWritten, registerEmsp, tokenAdmin, tokenBody, tokenReceiver, type RegisteredEmsp } from './token-api';

/** Pulling an eMSP's Tokens SENDER list (digest §3.5.2): `POST /admin/partners/{id}/sync` and after registration. */

const db = databasePerSuite();
let node: TestApp | undefined;
const emsps: FakeEmsp[] = [];

afterEach(async () => {
  for (const emsp of emsps.splice(0)) await emsp.stop();
  await node?.close();
  node = undefined;
});

/** Five tokens of DE/AAA with one of FR/BBB (a party the eMSP does not hold) in the middle. */
function sixTokens(): Record<string, any>[] {
  const own = ['P1', 'P2', 'P3', 'P4', 'P5'].map((uid) => tokenBody('DE', 'AAA', uid));
  return [own[0]!, own[1]!, tokenBody('FR', 'BBB', 'FOREIGN'), own[2]!, own[3]!, own[4]!];
}

async function emspWithTokens(tokens: Record<string, any>[], pageLimit = 2, options: { tokensSender?: boolean } = {}): Promise<RegisteredEmsp> {
  const registered = await registerEmsp(node!, { countryCode: 'DE', partyId: 'AAA', ...options }, 'EMSP', (emsp) => {
    emsp.tokenList = tokens;
    emsp.tokensPageLimit = pageLimit;
  });
  emsps.push(registered.emsp);
  return registered;
}

const heldTokens = async () => (await db.prisma.token.findMany({ orderBy: { uidKey: 'asc' } })).map((t) => `${t.countryCode}/${t.partyId}/${t.uidKey}/${t.type}`);
const own = (...uids: string[]) => uids.map((uid) => `DE/AAA/${uid}/RFID`);

function expectSynced(res: request.Response, fetched: number, stored: number): void {
  expectOcpi(res, 200, 1000, TokenPullResult);
  expect(res.body.data).toEqual({ fetched, stored });
}

describe('POST /admin/partners/{id}/sync { module: tokens }', () => {
  it('when the eMSP pages by 2 (its X-Limit below ours), then 3 pages are followed by Link, never asking above its limit, and the foreign token is skipped', async () => {
    node = await startTestApp(db);
    const { id, emsp } = await emspWithTokens(sixTokens());
    expectSynced(await tokenAdmin(node).sync(id), 6, 5);
    expect(await heldTokens()).toEqual(own('P1', 'P2', 'P3', 'P4', 'P5'));
    const pulls = emsp.tokenPulls().map((r) => new URLSearchParams(r.query));
    expect(pulls.map((q) => q.get('offset'))).toEqual(['0', '2', '4']);
    expect(pulls[0]!.get('limit')).toBe('100');
    expect(pulls.slice(1).map((q) => q.get('limit'))).toEqual(['2', '2']);
    const lines = node.logLines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.filter((l) => l.message === 'tokens page pulled').map((l) => [l.partner, l.fetched, l.total])).toEqual([[id, 2, 6], [id, 4, 6], [id, 6, 6]]);
    expect(lines.filter((l) => l.message === 'pulled token of a party the partner does not hold: skipped')).toEqual([
      expect.objectContaining({ partner: id, country_code: 'FR', party_id: 'BBB' }),
    ]);
    expect(lines.every((l) => !JSON.stringify(l).includes(emsp.tokenForNode!))).toBe(true);
  });

  it('when the second page fails, then 502 / 3001 with what was stored kept; a new sync ends with every token once', async () => {
    node = await startTestApp(db);
    const { id, emsp } = await emspWithTokens(sixTokens());
    emsp.failTokensPage(2);
    const failed = await tokenAdmin(node).sync(id);
    expectOcpi(failed, 502, 3001);
    expect(failed.body.status_message).toMatch(/page 2 \(after 2 tokens\)/);
    expect(await heldTokens()).toEqual(own('P1', 'P2'));
    emsp.tokenList[0] = { ...emsp.tokenList[0], valid: false, last_updated: '2026-03-01T11:00:00Z' };
    expectSynced(await tokenAdmin(node).sync(id), 6, 5);
    expect(await heldTokens()).toEqual(own('P1', 'P2', 'P3', 'P4', 'P5'));
    expect(expectToken(await tokenAdmin(node).get('/DE/AAA/P1')).data.valid).toBe(false);
    expectSynced(await tokenAdmin(node).sync(id), 6, 5);
    expect(await db.prisma.token.count()).toBe(5);
  });

  it('when a pulled token is older than the one the eMSP pushed, or not a valid Token, then it is left alone and not counted as stored', async () => {
    node = await startTestApp(db);
    const tokens = [tokenBody('DE', 'AAA', 'OLD'), { ...tokenBody('DE', 'AAA', 'BAD'), whitelist: 'SOMETIMES' }, tokenBody('DE', 'AAA', 'OK')];
    const { id, auth } = await emspWithTokens(tokens, 10);
    expectWritten(await tokenReceiver(node, auth).put('/DE/AAA/OLD', tokenBody('DE', 'AAA', 'OLD', { valid: false, last_updated: '2026-03-01T12:00:00Z' })), 201);
    expectSynced(await tokenAdmin(node).sync(id), 3, 1);
    expect(await heldTokens()).toEqual(own('OK', 'OLD'));
    expect(expectToken(await tokenAdmin(node).get('/DE/AAA/OLD')).data.valid).toBe(false);
  });

  it('when the eMSP lists no tokens SENDER, or the partner is not registered, then 409; an unknown partner 404; another module 400', async () => {
    node = await startTestApp(db);
    const { id } = await emspWithTokens([], 2, { tokensSender: false });
    expectOcpi(await tokenAdmin(node).sync(id), 409, 2000);
    const slot = await request(node.baseUrl).post('/admin/partners').set('Authorization', `Bearer ${node.adminToken}`);
    expectOcpi(await tokenAdmin(node).sync(slot.body.data.id as string), 409, 2000);
    expectOcpi(await tokenAdmin(node).sync('00000000-0000-4000-8000-000000000000'), 404, 2000);
    expectOcpi(await tokenAdmin(node).sync(id, { module: 'locations' }), 400, 2001);
    expectOcpi(await tokenAdmin(node).sync(id, {}), 400, 2001);
    expect(await db.prisma.token.count()).toBe(0);
  });

  it('when the eMSP is down, then 502 / 3001 and nothing is stored', async () => {
    node = await startTestApp(db);
    const { id, emsp } = await emspWithTokens(sixTokens());
    await emsp.stop();
    expectOcpi(await tokenAdmin(node).sync(id), 502, 3001);
    expect(await db.prisma.token.count()).toBe(0);
  });
});

describe('the pull right after registration (TOKENS_PULL_ON_REGISTER)', () => {
  const pulledLog = (node: TestApp, id: string) => node.logLines.some((l) => l.includes('"tokens pulled"') && l.includes(id));

  it('when an eMSP with a tokens SENDER registers with us, then its tokens are pulled in the background', async () => {
    node = await startTestApp(db, { env: { TOKENS_PULL_ON_REGISTER: 'true' } });
    const { id } = await emspWithTokens(sixTokens());
    await eventually(() => pulledLog(node!, id));
    expect(await heldTokens()).toEqual(own('P1', 'P2', 'P3', 'P4', 'P5'));
  });

  it('when we register with an eMSP, then its tokens are pulled too; a failing pull is logged and the registration stands', async () => {
    node = await startTestApp(db, { env: { TOKENS_PULL_ON_REGISTER: 'true' } });
    const tokenA = 'emsp-token-a-for-the-pull-test';
    const emsp = await new FakeEmsp({ countryCode: 'DE', partyId: 'AAA', tokenA }).start();
    emsps.push(emsp);
    emsp.tokenList = sixTokens();
    emsp.tokensPageLimit = 2;
    emsp.failTokensPage(4);
    const res = await request(node.baseUrl).post('/admin/partners/register').set('Authorization', `Bearer ${node.adminToken}`).send({ versions_url: emsp.versionsUrl, token: tokenA });
    expectOcpi(res, 201, 1000);
    const id = res.body.data.id as string;
    await eventually(() => node!.logLines.some((l) => l.includes('tokens pull after registration failed') && l.includes(id)));
    expect(await heldTokens()).toEqual(own('P1', 'P2', 'P3'));
    const partner = await request(node.baseUrl).get(`/admin/partners/${id}`).set('Authorization', `Bearer ${node.adminToken}`);
    expectOcpi(partner, 200, 1000);
    expect(partner.body.data.status).toBe('REGISTERED');
    expectSynced(await tokenAdmin(node).sync(id), 6, 5);
  });

  it('when it is off (the test default), then registering pulls nothing', async () => {
    node = await startTestApp(db);
    const { emsp } = await emspWithTokens(sixTokens());
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(emsp.tokenPulls()).toEqual([]);
  });
});
