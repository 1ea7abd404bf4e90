import request from 'supertest';
import type { Test } from 'supertest';
import type { TestApp } from './test-app';

/** Headers a test sends; an undefined value is a test bug (usually an ETag it never got). */
export type Headers = Record<string, string | undefined>;

export function withHeaders(test: Test, headers: Headers): Test {
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) throw new Error(`header ${name} has no value (was an ETag missing?)`);
    test.set(name, value);
  }
  return test;
}

export type Method = 'get' | 'put' | 'patch' | 'post' | 'delete';

/** A request under `base` on the listening node, with the admin token (and `headers`). */
export function adminCall(node: TestApp, base: string) {
  const auth = { Authorization: `Bearer ${node.adminToken}` };
  return (method: Method, path: string, headers: Headers = {}): Test => withHeaders(request(node.baseUrl)[method](`${base}${path}`), { ...auth, ...headers });
}
