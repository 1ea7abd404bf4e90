import { Router } from 'express';
import type { RouteKit } from '../ocpi/route-kit';
import { etagOfView, isNotModified, setEtag } from '../ocpi/etag';
import { methodNotAllowed } from '../ocpi/method-not-allowed';
import { OcpiError } from '../ocpi/ocpi-error';
import { validate } from '../ocpi/validate';
import { toAdminPartner } from '../modules/credentials/partner.mapper';
import type { PartnersService } from './partners.service';
import {
  CreateSlot, DEFAULT_PARTNER_ROLE, DeliveriesQuery, PURGE_CONFIRMATION, ReconcileRequest, RegisterWithPartner, ResyncRequest, RetryRequest, SyncRequest,
} from './partners.schema';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function partnerId(value: string): string {
  if (!UUID.test(value)) throw OcpiError.notFound(`Unknown partner ${value}`);
  return value.toLowerCase();
}

/** `/admin/partners`: registration slots, the handshake from our side, listing and unregistering. */
export function adminPartnersRouter(service: PartnersService, ocpiVersionsUrl: string, { respond }: RouteKit): Router {
  const router = Router();

  router.post('/', async (req, res) => {
    const { role = DEFAULT_PARTNER_ROLE } = validate(CreateSlot, req.body ?? {});
    const { partner, tokenA } = await service.createSlot(role);
    setEtag(res, partner.rowVersion);
    respond(res, { id: partner.id, token_a: tokenA, versions_url: ocpiVersionsUrl, role }, 201);
  });

  router.get('/', async (_req, res) => {
    const partners = await service.list();
    const reachability = await service.reachabilityOf(partners.map((p) => p.id));
    respond(res, partners.map((p) => ({ ...toAdminPartner(p), reachability: reachability.get(p.id) })));
  });

  router.post('/register', async (req, res) => {
    const body = validate(RegisterWithPartner, req.body);
    const partner = await service.registerWith(body.versions_url, body.token, body.role ?? DEFAULT_PARTNER_ROLE);
    setEtag(res, partner.rowVersion);
    respond(res, toAdminPartner(partner), 201);
  });

  router.get('/:id', async (req, res) => {
    const partner = await service.get(partnerId(req.params.id));
    const reachability = (await service.reachabilityOf([partner.id])).get(partner.id);
    const deliveries = await service.deliverySummary(partner.id);
    const tag = etagOfView(partner.rowVersion, { reachability, deliveries });
    res.setHeader('ETag', tag);
    if (isNotModified(req, tag)) return void res.status(304).end();
    respond(res, { ...toAdminPartner(partner), reachability, deliveries });
  });

  router.get('/:id/deliveries', async (req, res) => {
    const { status, module } = validate(DeliveriesQuery, { ...req.query }, 'query');
    if (status === 'delivered') {
      if (module !== undefined && module !== 'cdrs') throw OcpiError.badRequest('Invalid query: only CDR deliveries are kept once delivered (module=cdrs)');
      return respond(res, await service.deliveredCdrs(partnerId(req.params.id)));
    }
    const filter = status === undefined ? undefined : status === 'failed' ? 'FAILED' : 'PENDING';
    respond(res, await service.deliveries(partnerId(req.params.id), filter, module));
  });

  router.post('/:id/deliveries/retry', async (req, res) => {
    const body = validate(RetryRequest, req.body ?? {});
    respond(res, await service.retryFailed(partnerId(req.params.id), body.module, body.object));
  });

  router.post('/:id/resync', async (req, res) => {
    const body = validate(ResyncRequest, req.body);
    respond(res, await service.resync(partnerId(req.params.id), body.module), 202);
  });

  router.post('/:id/sync', async (req, res) => {
    const body = validate(SyncRequest, req.body);
    respond(res, await service.sync(partnerId(req.params.id), body.module));
  });

  router.post('/:id/reconcile', async (req, res) => {
    const body = validate(ReconcileRequest, req.body);
    const purge = body.purge === true;
    if (purge && body.confirm !== PURGE_CONFIRMATION) throw OcpiError.badRequest(`Invalid body: /confirm must be "${PURGE_CONFIRMATION}" to purge the partner's copy`);
    respond(res, await service.reconcile(partnerId(req.params.id), body.module, purge));
  });

  router.delete('/:id', async (req, res) => {
    const partner = await service.unregister(partnerId(req.params.id));
    setEtag(res, partner.rowVersion);
    respond(res, toAdminPartner(partner));
  });

  router.post('/:id/rotate', async (req, res) => {
    const partner = await service.rotate(partnerId(req.params.id));
    setEtag(res, partner.rowVersion);
    respond(res, toAdminPartner(partner));
  });

  router.all('/', methodNotAllowed(['GET', 'POST']));
  router.all('/register', methodNotAllowed(['POST']));
  router.all('/:id', methodNotAllowed(['GET', 'DELETE']));
  router.all('/:id/rotate', methodNotAllowed(['POST']));
  router.all('/:id/resync', methodNotAllowed(['POST']));
  router.all('/:id/sync', methodNotAllowed(['POST']));
  router.all('/:id/reconcile', methodNotAllowed(['POST']));
  router.all('/:id/deliveries', methodNotAllowed(['GET']));
  router.all('/:id/deliveries/retry', methodNotAllowed(['POST']));
  return router;
}
