import type { Express, Request, RequestHandler } from 'express';
import type { Metrics } from './metrics';

/** The route label of a request no route matched (404s, and answers of middleware: 401, 413, 429...). */
export const UNMATCHED = 'unmatched';

const MATCHED = Symbol('matched route');
const MOUNTED_AT = Symbol('mount path when matched');

interface RoutedRequest {
  baseUrl: string;
  [MATCHED]?: { path: unknown };
  [MOUNTED_AT]?: string;
}

/**
 * Remembers where each request's route was mounted at the moment the router matches it. Express sets
 * `req.route` then, while `req.baseUrl` is the nested routers' mount path; by the time the response
 * finishes, a route that threw has left its routers and `baseUrl` is back to ''. The accessor sits on
 * this app's own request prototype, so no other app is touched.
 */
export function captureRouteTemplates(app: Express): void {
  Object.defineProperty(app.request, 'route', {
    configurable: true,
    get(this: RoutedRequest) {
      return this[MATCHED];
    },
    set(this: RoutedRequest, route: { path: unknown }) {
      this[MATCHED] = route;
      this[MOUNTED_AT] = this.baseUrl;
    },
  });
}

/**
 * The matched route as a bounded label: mount path plus route path, e.g. `/admin/locations/:locationId`.
 * The mount path is lower-cased (routers match any case, and each mount path is a lower-case literal);
 * a route declared with several paths is labelled with all of them.
 */
export function routeTemplate(req: Request): string {
  const routed = req as unknown as RoutedRequest;
  const route = routed[MATCHED];
  if (!route) return UNMATCHED;
  const path = Array.isArray(route.path) ? route.path.join('|') : String(route.path);
  const template = (routed[MOUNTED_AT] ?? '').toLowerCase() + path;
  return template.length > 1 && template.endsWith('/') ? template.slice(0, -1) : template;
}

/** Counts and times every request by route template, method and status, once its response has finished. */
export function httpMetrics(metrics: Metrics): RequestHandler {
  const labelNames = ['route', 'method', 'status'] as const;
  const requests = metrics.counter('http_requests_total', 'HTTP requests answered, by route template, method and status', labelNames);
  const duration = metrics.histogram('http_request_duration_seconds', 'Time from receiving an HTTP request to finishing its response, in seconds', labelNames);
  return (req, res, next) => {
    const started = performance.now();
    res.on('finish', () => {
      const labels = { route: routeTemplate(req), method: req.method, status: res.statusCode };
      requests.inc(labels);
      duration.observe(labels, (performance.now() - started) / 1000);
    });
    next();
  };
}

/** `GET /metrics`: the registry in Prometheus' text format (not in the OCPI envelope). */
export function serveMetrics(metrics: Metrics): RequestHandler {
  return async (_req, res) => {
    const text = await metrics.render();
    res.set('Content-Type', metrics.contentType).set('Cache-Control', 'no-store').send(text);
  };
}
