import { Router, type Request, type Response } from 'express';
import type { Static, TObject, TSchema } from '@sinclair/typebox';
import type { RouteParameters } from 'express-serve-static-core';
import { methodNotAllowed } from '../ocpi/method-not-allowed';
import { validate } from '../ocpi/validate';

export type AdminMethod = 'get' | 'put' | 'patch' | 'post' | 'delete';

/** The order `Allow` lists a path's methods in. */
const METHOD_ORDER: readonly AdminMethod[] = ['get', 'put', 'patch', 'post', 'delete'];

/**
 * What an admin route is, declared once: it registers the Express route, validates the body with
 * exactly `body`, and is what the OpenAPI document (`openapi.ts`) is built from.
 */
export interface AdminRouteSpec {
  method: AdminMethod;
  /** Relative to the group's mount, in Express syntax (`/:id`). */
  path: string;
  summary: string;
  description?: string;
  /** The request body: the handler runs only with a body that conforms, and receives it typed. */
  body?: TSchema;
  /** No body at all is read as `{}` (then validated). */
  bodyOptional?: boolean;
  /** The query parameters; the handler parses `req.query` with a parser built on this very schema. */
  query?: TObject;
  /** The success status (default 200). */
  status?: number;
  /** Answers anyone, without a token (only routes mounted before the admin guard). */
  anonymous?: boolean;
  /** The media types a success answers with when it is not the OCPI envelope, e.g. the OpenAPI document itself. */
  produces?: readonly string[];
}

type Handler<B, P extends string = string> = (req: Request<RouteParameters<P>>, res: Response, body: B) => Promise<void> | void;

export interface AdminRoute extends AdminRouteSpec {
  handle: Handler<unknown>;
}

/** An admin route as the document lists it: full path under `/admin`, and its group's tag. */
export interface DeclaredAdminRoute extends AdminRouteSpec {
  tag: string;
}

export interface AdminRouteGroup {
  mount: string;
  router: Router;
  routes: readonly DeclaredAdminRoute[];
}

type SpecAt<P extends string> = Omit<AdminRouteSpec, 'path' | 'body' | 'bodyOptional'> & { path: P };

export function route<S extends TSchema, P extends string>(spec: SpecAt<P> & { body: S; bodyOptional?: boolean }, handle: Handler<Static<S>, P>): AdminRoute;
export function route<P extends string>(spec: SpecAt<P>, handle: Handler<undefined, P>): AdminRoute;
export function route(spec: AdminRouteSpec, handle: Handler<never>): AdminRoute {
  return { ...spec, handle: handle as Handler<unknown> };
}

function bodyOf(spec: AdminRouteSpec, req: Request): unknown {
  if (!spec.body) return undefined;
  return validate(spec.body, spec.bodyOptional ? (req.body ?? {}) : req.body);
}

/**
 * One router of admin routes mounted at `mount` (e.g. `/partners`): each route as declared, then a 405
 * with `Allow` for every other method on each of their paths.
 */
export function adminRouteGroup(mount: string, tag: string, routes: readonly AdminRoute[]): AdminRouteGroup {
  const router = Router();
  const methodsByPath = new Map<string, Set<AdminMethod>>();
  for (const spec of routes) {
    router[spec.method](spec.path, async (req, res) => spec.handle(req, res, bodyOf(spec, req)));
    methodsByPath.set(spec.path, (methodsByPath.get(spec.path) ?? new Set()).add(spec.method));
  }
  for (const [path, methods] of methodsByPath) {
    router.all(path, methodNotAllowed(METHOD_ORDER.filter((m) => methods.has(m)).map((m) => m.toUpperCase())));
  }
  const declared = routes.map(({ handle: _handle, ...spec }) => ({ ...spec, path: `${mount}${spec.path === '/' ? '' : spec.path}`, tag }));
  return { mount, router, routes: declared };
}
