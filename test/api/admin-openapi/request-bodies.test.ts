import request from 'supertest';
import type { TSchema } from '@sinclair/typebox';
import { adminRoutesOf } from '../../../src/admin';
import { openApiDocument } from '../../../src/admin/openapi';
import { CreateSlot, ReconcileRequest, RegisterWithPartner, ResyncRequest, RetryRequest, SyncRequest } from '../../../src/admin/partners.schema';
import { IssueCdrRequest } from '../../../src/modules/cdrs/cdr-issuing.service';
import { CdrInput } from '../../../src/modules/cdrs/cdrs.schema';
import { CommandResult } from '../../../src/modules/commands/commands.schema';
import { ConnectorInput, ConnectorPatch, EvseInput, EvsePatch, LocationInput, LocationPatch } from '../../../src/modules/locations/locations.schema';
import { SessionInput, SessionPatch } from '../../../src/modules/sessions/sessions.schema';
import { QuoteRequest } from '../../../src/modules/tariffs/tariff-quote';
import { TariffInput } from '../../../src/modules/tariffs/tariffs.schema';
import { AuthorizeRequest } from '../../../src/modules/tokens/authorize.schema';
import { PaginationQuery } from '../../../src/ocpi/pagination';
import { DeliveriesQuery } from '../../../src/admin/partners.schema';
import { TokenQuery } from '../../../src/modules/tokens/tokens.schema';
import { expectOcpi } from '../../helpers/ocpi-assertions';
import { startTestApp, type TestApp } from '../../helpers/test-app';
import { databasePerSuite } from '../../helpers/test-database';
import { independentSchemaCheck, mountedAdminRouter, violatingBodies, type JsonSchema, type OpenApiDocument, type Operation } from './admin-openapi-helpers';

/** Issue 13 item 2: every documented request body is the schema its route validates with. */

const db = databasePerSuite();
let node: TestApp;

beforeEach(async () => {
  node = await startTestApp(db);
});
afterEach(async () => {
  await node.close();
});

const toOpenApi = (path: string) => path.replace(/:(\w+)/g, '{$1}');

/** What each admin route that takes a body validates it with, as the modules export them. */
const EXPECTED_BODIES: Record<string, TSchema> = {
  'POST /partners': CreateSlot, 'POST /partners/register': RegisterWithPartner, 'POST /partners/:id/deliveries/retry': RetryRequest,
  'POST /partners/:id/resync': ResyncRequest, 'POST /partners/:id/sync': SyncRequest, 'POST /partners/:id/reconcile': ReconcileRequest,
  'PUT /locations/:locationId': LocationInput, 'PATCH /locations/:locationId': LocationPatch,
  'PUT /locations/:locationId/evses/:evseUid': EvseInput, 'PATCH /locations/:locationId/evses/:evseUid': EvsePatch,
  'PUT /locations/:locationId/evses/:evseUid/connectors/:connectorId': ConnectorInput,
  'PATCH /locations/:locationId/evses/:evseUid/connectors/:connectorId': ConnectorPatch,
  'PUT /tariffs/:tariffId': TariffInput, 'POST /tariffs/:tariffId/quote': QuoteRequest, 'POST /cdrs': CdrInput,
  'PUT /sessions/:sessionId': SessionInput, 'PATCH /sessions/:sessionId': SessionPatch, 'POST /sessions/:sessionId/cdr': IssueCdrRequest,
  'POST /authorize': AuthorizeRequest, 'POST /commands/:id/result': CommandResult,
};

test('when the document is built from the live route table, then each request body and query schema is the very object the route validates with', () => {
  const routes = adminRoutesOf(mountedAdminRouter(node.app));
  const document = openApiDocument(routes, { adminBaseUrl: node.baseUrl, version: '0' }) as unknown as OpenApiDocument;
  const withBody = routes.filter((route) => route.body);
  expect(Object.fromEntries(withBody.map((route) => [`${route.method.toUpperCase()} ${route.path}`, route.body]))).toEqual(EXPECTED_BODIES);
  for (const route of withBody) {
    expect(EXPECTED_BODIES[`${route.method.toUpperCase()} ${route.path}`]).toBe(route.body);
    const operation = document.paths[toOpenApi(route.path)]![route.method] as Operation;
    expect(operation.requestBody!.content['application/json'].schema).toBe(route.body);
    expect(operation.requestBody!.required).toBe(!route.bodyOptional);
  }
  const lists = routes.filter((route) => route.query && 'offset' in route.query.properties);
  expect(lists.map((route) => route.path).sort()).toEqual(['/cdrs', '/locations', '/sessions', '/tariffs', '/tokens']);
  for (const route of lists) expect(route.query).toBe(PaginationQuery);
  const byPath = (path: string) => routes.find((route) => route.method === 'get' && route.path === path)!.query;
  expect(byPath('/partners/:id/deliveries')).toBe(DeliveriesQuery);
  expect(byPath('/tokens/:countryCode/:partyId/:uid')).toBe(TokenQuery);
});

test('when a route is sent a query parameter its documented schema refuses, then it answers 400 / 2001 naming the parameter', async () => {
  const document = (await request(node.baseUrl).get('/admin/openapi.json')).body as OpenApiDocument;
  const bad = 'not a valid value!';
  let checked = 0;
  for (const [path, operations] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      const parameter = operation.parameters.find((p) => p.in === 'query' && !independentSchemaCheck((p as unknown as { schema: JsonSchema }).schema)(bad));
      if (!parameter) continue;
      const url = `/admin${path.replace(/\{(\w+)\}/g, 'probe')}`;
      const res = await request(node.baseUrl)[method as 'get'](url).query({ [parameter.name]: bad }).set('Authorization', `Bearer ${node.adminToken}`);
      expectOcpi(res, 400, 2001);
      expect(res.body.status_message).toContain(parameter.name);
      checked++;
    }
  }
  expect(checked).toBe(7);
}, 120_000);

test('when a route is sent a body that breaks its documented schema, then it answers 400 / 2001 naming the field', async () => {
  const document = (await request(node.baseUrl).get('/admin/openapi.json')).body as OpenApiDocument;
  let checked = 0;
  for (const [path, operations] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      const schema = operation.requestBody?.content['application/json'].schema;
      if (!schema) continue;
      const conforms = independentSchemaCheck(schema);
      for (const { what, body } of violatingBodies(schema)) {
        const url = `/admin${path.replace(/\{(\w+)\}/g, 'probe')}`;
        expect({ route: `${method} ${path}`, what, conforms: conforms(body) }).toEqual({ route: `${method} ${path}`, what, conforms: false });
        const res = await request(node.baseUrl)[method as 'post'](url).set('Authorization', `Bearer ${node.adminToken}`).send(body as object);
        expectOcpi(res, 400, 2001);
        expect(res.body.status_message).toContain(Object.keys(body as object)[0]);
        checked++;
      }
    }
  }
  expect(checked).toBeGreaterThanOrEqual(Object.keys(EXPECTED_BODIES).length);
}, 120_000);
