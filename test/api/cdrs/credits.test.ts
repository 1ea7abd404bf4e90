import { Cdr } from '../../../src/modules/cdrs/cdrs.schema';
import { cdrBody, creditBody, fullCdrBody } from '../../helpers/cdr-factory';
import { expectOcpi } from '../../helpers/ocpi-assertions';
import { startTestApp, type TestApp } from '../../helpers/test-app';
import { databasePerSuite } from '../../helpers/test-database';
import { cdrAdmin, storeCdr, storedCount } from './cdr-api';

/**
 * Credit CDRs (digest §3.3.3): a correction names a stored CDR through credit_reference_id, negates its
 * costs, and each CDR is credited at most once, also when two credits race.
 */

const db = databasePerSuite();
let node: TestApp;
let admin: ReturnType<typeof cdrAdmin>;

beforeEach(async () => {
  node = await startTestApp(db);
  admin = cdrAdmin(node);
});
afterEach(async () => {
  await node.close();
});

describe('a credit CDR', () => {
  it('when it names a stored CDR of the same token party, then it is stored (201) with credit and credit_reference_id, and the original is unchanged', async () => {
    const original = fullCdrBody('CDR-1');
    const stored = await storeCdr(node, original);
    const credit = await storeCdr(node, creditBody(original));
    expect(credit).toMatchObject({ id: 'CDR-1-C', credit: true, credit_reference_id: 'CDR-1', total_cost: { excl_vat: -18.25, incl_vat: -22.08 } });
    const get = await admin.get('/CDR-1');
    expectOcpi(get, 200, 1000, Cdr);
    expect(get.body.data).toEqual(stored);
  });

  it('when the reference names the original in another case, then it is found (ids are case-insensitive)', async () => {
    const original = cdrBody('Cdr-Case');
    await storeCdr(node, original);
    const credit = await storeCdr(node, creditBody(original, { id: 'CREDIT-CASE', credit_reference_id: 'CDR-CASE' }));
    expect(credit.credit_reference_id).toBe('CDR-CASE');
  });

  it('when the reference names no stored CDR, then 400 / 2001 naming credit_reference_id, and nothing is stored', async () => {
    const res = await admin.post(creditBody(cdrBody('NEVER-STORED')));
    expectOcpi(res, 400, 2001);
    expect(res.body.status_message).toContain('/credit_reference_id names no stored CDR (NEVER-STORED)');
    expect(await storedCount(node)).toBe(0);
  });

  it('when the CDR was credited already, then a second credit answers 409 / 2000 naming the first, and is not stored', async () => {
    const original = cdrBody('CDR-2');
    await storeCdr(node, original);
    await storeCdr(node, creditBody(original));
    const res = await admin.post(creditBody(original, { id: 'CDR-2-C2' }));
    expectOcpi(res, 409, 2000);
    expect(res.body.status_message).toBe('CDR CDR-2 has already been credited by CDR CDR-2-C');
    expect(await storedCount(node)).toBe(2);
  });

  it('when two credits of one CDR arrive at once, then exactly one is stored (201) and the other answers 409', async () => {
    const original = cdrBody('CDR-3');
    await storeCdr(node, original);
    for (let round = 0; round < 3; round++) {
      const reference = `CDR-3-R${round}`;
      await storeCdr(node, cdrBody(reference));
      const answers = await Promise.all(['A', 'B', 'C', 'D'].map((suffix) => admin.post(creditBody(cdrBody(reference), { id: `${reference}-${suffix}` }))));
      expect(answers.map((res) => res.status).sort()).toEqual([201, 409, 409, 409]);
      for (const res of answers) {
        if (res.status === 201) expectOcpi(res, 201, 1000, Cdr);
        else expectOcpi(res, 409, 2000);
      }
    }
    expect(await storedCount(node)).toBe(1 + 3 * 2);
  });

  it('when it names a credit CDR, then 400 / 2001 (a credit is not credited again)', async () => {
    const original = cdrBody('CDR-4');
    await storeCdr(node, original);
    const credit = creditBody(original);
    await storeCdr(node, credit);
    const res = await admin.post(creditBody(credit, { id: 'CDR-4-CC', credit_reference_id: 'CDR-4-C', total_cost: { excl_vat: 0 } }));
    expectOcpi(res, 400, 2001);
    expect(res.body.status_message).toContain('/credit_reference_id names CDR-4-C, itself a credit CDR');
  });

  it('when its token belongs to another party than the original\'s, then 400 / 2001 naming cdr_token (the credit goes to whoever paid)', async () => {
    const original = cdrBody('CDR-5', { countryCode: 'DE', partyId: 'AAA' });
    await storeCdr(node, original);
    const other = cdrBody('CDR-5', { countryCode: 'FR', partyId: 'BBB' });
    const res = await admin.post(creditBody(other));
    expectOcpi(res, 400, 2001);
    expect(res.body.status_message).toContain('/cdr_token must belong to the party of the credited CDR CDR-5 (DE/AAA)');
    expect(await storedCount(node)).toBe(1);
  });

  it('when a credit CDR id uses the 3 extra characters of CiString(39), then it is accepted', async () => {
    const original = cdrBody('X'.repeat(36));
    await storeCdr(node, original);
    const credit = await storeCdr(node, creditBody(original));
    expect(credit.id).toHaveLength(38);
  });
});
