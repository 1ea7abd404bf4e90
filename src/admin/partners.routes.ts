import type { RouteKit } from '../ocpi/route-kit';
import { etagOfView, isNotModified, setEtag } from '../ocpi/etag';
import { OcpiError } from '../ocpi/ocpi-error';
import { validate } from '../ocpi/validate';
import { toAdminPartner } from '../modules/credentials/partner.mapper';
import { adminRouteGroup, route, type AdminRouteGroup } from './admin-route';
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
export function adminPartnersRoutes(service: PartnersService, ocpiVersionsUrl: string, { respond }: RouteKit): AdminRouteGroup {
  return adminRouteGroup('/partners', 'partners', [
    route({ method: 'post', path: '/', summary: 'Create a registration slot (token A for the party to register)', body: CreateSlot, bodyOptional: true, status: 201 }, async (_req, res, body) => {
      const { role = DEFAULT_PARTNER_ROLE } = body;
      const { partner, tokenA } = await service.createSlot(role);
      setEtag(res, partner.rowVersion);
      respond(res, { id: partner.id, token_a: tokenA, versions_url: ocpiVersionsUrl, role }, 201);
    }),

    route({ method: 'get', path: '/', summary: 'List partners with their reachability' }, async (_req, res) => {
      const partners = await service.list();
      const reachability = await service.reachabilityOf(partners.map((p) => p.id));
      respond(res, partners.map((p) => ({ ...toAdminPartner(p), reachability: reachability.get(p.id) })));
    }),

    route({ method: 'post', path: '/register', summary: "Register with a partner: run the handshake from our side with its versions URL and token A", body: RegisterWithPartner, status: 201 }, async (_req, res, body) => {
      const partner = await service.registerWith(body.versions_url, body.token, body.role ?? DEFAULT_PARTNER_ROLE);
      setEtag(res, partner.rowVersion);
      respond(res, toAdminPartner(partner), 201);
    }),

    route({ method: 'get', path: '/:id', summary: 'A partner with its reachability and delivery summary' }, async (req, res) => {
      const partner = await service.get(partnerId(req.params.id));
      const reachability = (await service.reachabilityOf([partner.id])).get(partner.id);
      const deliveries = await service.deliverySummary(partner.id);
      const tag = etagOfView(partner.rowVersion, { reachability, deliveries });
      res.setHeader('ETag', tag);
      if (isNotModified(req, tag)) return void res.status(304).end();
      respond(res, { ...toAdminPartner(partner), reachability, deliveries });
    }),

    route({ method: 'get', path: '/:id/deliveries', summary: "A partner's pending, failed or delivered pushes", query: DeliveriesQuery }, async (req, res) => {
      const { status, module } = validate(DeliveriesQuery, { ...req.query }, 'query');
      if (status === 'delivered') {
        if (module !== undefined && module !== 'cdrs') throw OcpiError.badRequest('Invalid query: only CDR deliveries are kept once delivered (module=cdrs)');
        return respond(res, await service.deliveredCdrs(partnerId(req.params.id)));
      }
      const filter = status === undefined ? undefined : status === 'failed' ? 'FAILED' : 'PENDING';
      respond(res, await service.deliveries(partnerId(req.params.id), filter, module));
    }),

    route({ method: 'post', path: '/:id/deliveries/retry', summary: 'Queue failed deliveries again (none named: all)', body: RetryRequest, bodyOptional: true }, async (req, res, body) => {
      respond(res, await service.retryFailed(partnerId(req.params.id), body.module, body.object));
    }),

    route({ method: 'post', path: '/:id/resync', summary: "Queue a full push of a module's objects to the partner", body: ResyncRequest, status: 202 }, async (req, res, body) => {
      respond(res, await service.resync(partnerId(req.params.id), body.module), 202);
    }),

    route({ method: 'post', path: '/:id/sync', summary: "Pull the partner's sender list of a module now", body: SyncRequest }, async (req, res, body) => {
      respond(res, await service.sync(partnerId(req.params.id), body.module));
    }),

    route({ method: 'delete', path: '/:id', summary: 'Unregister a partner (and tell it when registered)' }, async (req, res) => {
      const partner = await service.unregister(partnerId(req.params.id));
      setEtag(res, partner.rowVersion);
      respond(res, toAdminPartner(partner));
    }),

    route({ method: 'post', path: '/:id/reconcile', summary: "Compare the partner's stored copy of our locations with ours and queue what differs (purge: clear it first)", body: ReconcileRequest }, async (req, res, body) => {
      const purge = body.purge === true;
      if (purge && body.confirm !== PURGE_CONFIRMATION) throw OcpiError.badRequest(`Invalid body: /confirm must be "${PURGE_CONFIRMATION}" to purge the partner's copy`);
      respond(res, await service.reconcile(partnerId(req.params.id), body.module, purge));
    }),

    route({ method: 'post', path: '/:id/rotate', summary: "Rotate our token at the partner (credentials PUT)" }, async (req, res) => {
      const partner = await service.rotate(partnerId(req.params.id));
      setEtag(res, partner.rowVersion);
      respond(res, toAdminPartner(partner));
    }),
  ]);
}
