import { Router } from 'express';
import type { RouteKit } from './ocpi/route-kit';
import { OcpiError } from './ocpi/ocpi-error';
import { OcpiStatus } from './ocpi/status-codes';

/** Answers the problems that keep the node from serving; empty when it is ready. */
export type ReadinessCheck = () => Promise<string[]>;

/** `/health`: the process is up. `/ready`: the database answers and every migration is applied. */
export function healthRouter(readiness: ReadinessCheck, { respond }: RouteKit): Router {
  const router = Router();
  router.get('/health', (_req, res) => respond(res, { status: 'up' }));
  router.get('/ready', async (_req, res) => {
    const problems = await readiness();
    if (problems.length > 0) throw new OcpiError(503, OcpiStatus.SERVER_ERROR, `Not ready: ${problems.join('; ')}`);
    respond(res, { status: 'ready' });
  });
  return router;
}
