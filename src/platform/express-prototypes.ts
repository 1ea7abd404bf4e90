import { createServer, IncomingMessage, ServerResponse, type Server } from 'node:http';
import type { Express } from 'express';

const isClass = (fn: unknown): boolean => /^class\b/.test(Function.prototype.toString.call(fn));

/**
 * `app.listen` as Express 5 has it (the callback also receives a listen error), on a server that builds each
 * request and response directly on the prototypes Express gives them. Express otherwise swaps the prototype
 * of both objects on every request (Object.setPrototypeOf in app.handle), which sends Node's own HTTP code
 * through V8's slow property lookups: measured at about half of a single GET's CPU (docs/benchmarks.md).
 * Express's swap then finds the prototype already in place. Servers made elsewhere (tests) still work.
 */
export function listenOnExpressPrototypes(app: Express): void {
  // Plain constructor functions with Express's objects as their prototypes, calling Node's constructors on
  // `this` (they are functions, not classes, in Node 20); V8 then keeps one map per kind of object.
  // (Reflect.construct with these as new.target built a fresh map for every request.)
  if (isClass(IncomingMessage) || isClass(ServerResponse)) return;
  function Request(this: IncomingMessage, socket: unknown): void {
    Reflect.apply(IncomingMessage, this, [socket]);
  }
  Request.prototype = app.request;
  function Response(this: ServerResponse, req: unknown, options: unknown): void {
    Reflect.apply(ServerResponse, this, [req, options]);
  }
  Response.prototype = app.response;
  app.listen = ((...args: unknown[]): Server => {
    const server = createServer({ IncomingMessage: Request as unknown as typeof IncomingMessage, ServerResponse: Response as unknown as typeof ServerResponse }, app);
    const callback = args.at(-1);
    if (typeof callback === 'function') {
      let called = false;
      const once = (...results: unknown[]) => {
        if (called) return;
        called = true;
        callback(...results);
      };
      args[args.length - 1] = once;
      server.once('error', once);
    }
    return server.listen(...(args as Parameters<Server['listen']>));
  }) as Express['listen'];
}
