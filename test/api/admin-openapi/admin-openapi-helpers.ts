import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Express, Router } from 'express';
import Ajv2020 from 'ajv/dist/2020';

export type OpenApiDocument = {
  openapi: string;
  info: { version: string };
  servers: { url: string }[];
  paths: Record<string, Record<string, Operation>>;
  components: { securitySchemes: Record<string, { type: string; scheme: string }> };
  security: Record<string, unknown[]>[];
};
export type Operation = {
  operationId: string;
  security?: unknown[];
  parameters: { name: string; in: string; required: boolean }[];
  requestBody?: { required: boolean; content: { 'application/json': { schema: JsonSchema } } };
  responses: Record<string, unknown>;
};
export type JsonSchema = Record<string, unknown>;

/** Runs in its own node: the validator is an ES module, which jest's CommonJS runtime cannot load. */
const VALIDATE = `
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
const { Validator } = await import(pathToFileURL(process.argv[1]).href);
const validator = new Validator();
const result = await validator.validate(JSON.parse(readFileSync(process.argv[2], 'utf8')));
process.stdout.write(JSON.stringify({ ...result, version: validator.version }));
`;

/** What an independent validator (@seriousme/openapi-schema-validator) says of `document`. */
export async function validateWithIndependentValidator(document: unknown): Promise<{ valid: boolean; version?: string; errors?: unknown }> {
  const dir = await mkdtemp(join(tmpdir(), 'openapi-'));
  try {
    const file = join(dir, 'openapi.json');
    await writeFile(file, JSON.stringify(document));
    const entry = require.resolve('@seriousme/openapi-schema-validator');
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(process.execPath, ['--input-type=module', '-e', VALIDATE, entry, file], (error, out) => (error ? reject(error) : resolve(out)));
    });
    return JSON.parse(stdout) as { valid: boolean; version?: string; errors?: unknown };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

type Layer = { rawPath?: unknown; handle: unknown; route?: { path: string; methods: Record<string, boolean> } };
type StackHolder = { stack: Layer[] };

function mountPathOf(layer: Layer): string {
  return typeof layer.rawPath === 'string' && layer.rawPath !== '/' ? layer.rawPath : '';
}

/** Every `METHOD /path` a router (and the routers mounted in it) answers, read from the live stack; `all` routes (the 405s) left out. */
function routesIn(router: StackHolder, prefix: string): string[] {
  return router.stack.flatMap((layer) => {
    if (layer.route) {
      const path = `${prefix}${layer.route.path === '/' ? '' : layer.route.path}`;
      return Object.keys(layer.route.methods).filter((m) => m !== '_all').map((m) => `${m.toUpperCase()} ${path}`);
    }
    const nested = layer.handle as Partial<StackHolder>;
    return Array.isArray(nested.stack) ? routesIn(nested as StackHolder, `${prefix}${mountPathOf(layer)}`) : [];
  });
}

/** The router the live app mounts at `/admin`. */
export function mountedAdminRouter(app: Express): Router {
  const stack = (app as unknown as { router: StackHolder }).router.stack;
  const layer = stack.find((l) => l.rawPath === '/admin');
  if (!layer) throw new Error('no router mounted at /admin');
  return layer.handle as Router;
}

/** Every `METHOD /admin/...` route of the live app, in Express syntax. */
export function liveAdminRoutes(app: Express): string[] {
  return routesIn(mountedAdminRouter(app) as unknown as StackHolder, '/admin');
}

/** Every `METHOD /admin/...` operation the document lists, back in Express syntax. */
export function documentedRoutes(document: OpenApiDocument): string[] {
  return Object.entries(document.paths).flatMap(([path, operations]) =>
    Object.keys(operations).map((method) => `${method.toUpperCase()} /admin${path.replace(/\{(\w+)\}/g, ':$1')}`));
}

/** A plain JSON Schema 2020-12 validator with no knowledge of our ajv setup (unknown formats ignored). */
export function independentSchemaCheck(schema: JsonSchema): (value: unknown) => boolean {
  const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
  const check = ajv.compile(schema);
  return (value) => check(value) as boolean;
}

function wrongValueFor(schema: JsonSchema): unknown {
  const type = schema.type;
  if (type === 'string' || schema.format !== undefined || schema.pattern !== undefined) return 12345;
  if (type === 'object' || type === 'array') return 'not-a-structure';
  return { not: 'a scalar' };
}

/**
 * Bodies that break `schema` the way a careless client would: a wrong type for a required property (or,
 * with none required, for the first property), and an unknown property where `additionalProperties` is false.
 */
export function violatingBodies(schema: JsonSchema): { what: string; body: unknown }[] {
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = (schema.required ?? []) as string[];
  const name = required[0] ?? Object.keys(properties)[0];
  const bodies: { what: string; body: unknown }[] = [];
  if (name !== undefined) bodies.push({ what: `${name} of the wrong type`, body: { [name]: wrongValueFor(properties[name]!) } });
  if (schema.additionalProperties === false) bodies.push({ what: 'an unknown property', body: { not_a_documented_property: true } });
  return bodies;
}
