import { createAccessTokenRepository } from '../../src/modules/credentials/access-token.repository';
import { systemClock } from '../../src/platform/clock';
import { databasePerSuite } from '../helpers/test-database';

/** Issue 2.3: with ADMIN_TOKEN unset, exactly one admin token is generated, even by processes starting together. */

const db = databasePerSuite();

it('when two starts ensure the admin token at the same moment, then exactly one generates it and one admin token exists', async () => {
  const first = createAccessTokenRepository(db.prisma, systemClock);
  const second = createAccessTokenRepository(db.prisma, systemClock);
  const results = await Promise.all([first.ensureAdminToken(undefined), second.ensureAdminToken(undefined), first.ensureAdminToken(undefined)]);

  expect(results.filter((r) => r.generated !== undefined)).toHaveLength(1);
  expect(await db.prisma.accessToken.count({ where: { role: 'ADMIN', status: 'ACTIVE' } })).toBe(1);
});
