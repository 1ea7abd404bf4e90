import { Type, type TObject, type TSchema } from '@sinclair/typebox';
import type { DeclaredAdminRoute } from './admin-route';

export interface OpenApiInfo {
  /** Public URL of `/admin`: the document's only server. */
  adminBaseUrl: string;
  version: string;
}

type Json = Record<string, unknown>;

const Envelope = (data: TSchema) => Type.Object({
  data: Type.Optional(data),
  status_code: Type.Integer({ description: '1000: success; 2xxx: client error (2001 invalid input); 3xxx: server error' }),
  status_message: Type.Optional(Type.String()),
  timestamp: Type.String({ description: 'OCPI DateTime of the answer' }),
});

const ErrorEnvelope = Type.Object({
  status_code: Type.Integer({ minimum: 2000, maximum: 3999 }),
  status_message: Type.String(),
  timestamp: Type.String(),
});

const LIST_HEADERS = {
  'X-Total-Count': { description: 'Every match of the filters', schema: { type: 'integer' } },
  'X-Limit': { description: 'Our maximum page size', schema: { type: 'integer' } },
  Link: { description: '`<url>; rel="next"` while more remain, keeping the filters', schema: { type: 'string' } },
};

const PRECONDITIONS: Partial<Record<DeclaredAdminRoute['method'], Json[]>> = {
  patch: [{ name: 'If-Match', in: 'header', required: true, description: 'The ETag last read (428 without it, 412 when stale)', schema: { type: 'string' } }],
  put: [
    { name: 'If-Match', in: 'header', required: false, description: 'Replace only this version (412 otherwise)', schema: { type: 'string' } },
    { name: 'If-None-Match', in: 'header', required: false, description: '`*`: create only (412 when it exists)', schema: { type: 'string' } },
  ],
  delete: [{ name: 'If-Match', in: 'header', required: false, description: 'Delete only this version (412 otherwise)', schema: { type: 'string' } }],
};

/** `/partners/:id` → `/partners/{id}` and the path parameters it names. */
function openApiPath(path: string): { path: string; parameters: Json[] } {
  const names = [...path.matchAll(/:(\w+)/g)].map((match) => match[1]!);
  const parameters = names.map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' } }));
  return { path: path.replace(/:(\w+)/g, '{$1}'), parameters };
}

function queryParameters(query: TObject | undefined): Json[] {
  if (!query) return [];
  const required = new Set(query.required ?? []);
  return Object.entries(query.properties).map(([name, schema]) => ({ name, in: 'query', required: required.has(name), schema }));
}

function responses(route: DeclaredAdminRoute): Json {
  const status = String(route.status ?? 200);
  const isList = route.query !== undefined && 'offset' in route.query.properties;
  const content = route.produces
    ? Object.fromEntries(route.produces.map((type) => [type, {}]))
    : { 'application/json': { schema: Envelope(isList ? Type.Array(Type.Unknown()) : Type.Unknown()) } };
  const success = { description: route.summary, content, ...(isList ? { headers: LIST_HEADERS } : {}) };
  const failure = { description: 'The OCPI error envelope (400 / 2001 for invalid input, 401, 404, 405, 409, 412, 428...)', content: { 'application/json': { schema: ErrorEnvelope } } };
  return { [status]: success, '4XX': failure };
}

function operation(route: DeclaredAdminRoute): Json {
  const { parameters } = openApiPath(route.path);
  return {
    tags: [route.tag],
    summary: route.summary,
    ...(route.description ? { description: route.description } : {}),
    operationId: `${route.method}${route.path.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ?? '').toUpperCase())}`,
    ...(route.anonymous ? { security: [] } : {}),
    parameters: [...parameters, ...queryParameters(route.query), ...(PRECONDITIONS[route.method] ?? [])],
    ...(route.body ? { requestBody: { required: !route.bodyOptional, content: { 'application/json': { schema: route.body } } } } : {}),
    responses: responses(route),
  };
}

/**
 * The OpenAPI 3.1 document of the admin API, built from the route table: each request body and query
 * schema is the very TypeBox object the route validates with (JSON Schema 2020-12, which 3.1 takes as is;
 * serializing drops TypeBox's symbol keys).
 */
export function openApiDocument(routes: readonly DeclaredAdminRoute[], info: OpenApiInfo): Json {
  const paths: Record<string, Json> = {};
  for (const route of routes) {
    const { path } = openApiPath(route.path);
    paths[path] = { ...paths[path], [route.method]: operation(route) };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'OCPI CPO node: admin API',
      version: info.version,
      description: "The operator's API: locations, tariffs, sessions and CDRs in, partners and deliveries managed. Every answer is the OCPI envelope.",
    },
    servers: [{ url: info.adminBaseUrl }],
    security: [{ adminToken: [] }],
    tags: [...new Set(routes.map((route) => route.tag))].map((name) => ({ name })),
    paths,
    components: { securitySchemes: { adminToken: { type: 'http', scheme: 'bearer', description: 'The admin token (ADMIN_TOKEN)' } } },
  };
}
