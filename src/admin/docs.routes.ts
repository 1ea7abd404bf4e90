import { dirname } from 'node:path';
import { OcpiError } from '../ocpi/ocpi-error';
import { adminRouteGroup, route, type AdminRouteGroup, type DeclaredAdminRoute } from './admin-route';
import { openApiDocument, type OpenApiInfo } from './openapi';

const SWAGGER_UI = dirname(require.resolve('swagger-ui-dist/package.json'));
const VENDOR_ASSETS = new Set(['swagger-ui.css', 'swagger-ui-bundle.js']);

/** The page's own script (no inline script, so the CSP can say `script-src 'self'`); URLs relative to `/admin/docs`. */
const INIT_SCRIPT = `window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({ url: 'openapi.json', dom_id: '#docs', deepLinking: true, validatorUrl: null, persistAuthorization: false });
});
`;

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Admin API · OCPI CPO node</title>
<link rel="stylesheet" href="docs/assets/swagger-ui.css">
</head>
<body>
<div id="docs"></div>
<script src="docs/assets/swagger-ui-bundle.js"></script>
<script src="docs/assets/docs.js"></script>
</body>
</html>
`;

function contentSecurityPolicy(adminBaseUrl: string): string {
  return [
    "default-src 'none'", "script-src 'self'", "style-src 'self' 'unsafe-inline'", "img-src 'self' data:", "font-src 'self' data:",
    `connect-src 'self' ${new URL(adminBaseUrl).origin}`, "base-uri 'none'", "form-action 'none'", "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * `/admin/openapi.json` and `/admin/docs` (Swagger UI from the swagger-ui-dist package, served by the node):
 * anonymous, mounted before the admin guard; they describe the open-source API and hold no data.
 * "Authorize" on the page takes the admin token for "Try it out".
 */
export function adminDocsRoutes(table: () => readonly DeclaredAdminRoute[], info: OpenApiInfo): AdminRouteGroup {
  let documentJson: string | undefined;
  const csp = contentSecurityPolicy(info.adminBaseUrl);
  return adminRouteGroup('', 'documentation', [
    route({ method: 'get', path: '/openapi.json', summary: 'This OpenAPI 3.1 document', anonymous: true, produces: ['application/json'] }, (_req, res) => {
      documentJson ??= JSON.stringify(openApiDocument(table(), info));
      res.type('application/json').send(documentJson);
    }),

    route({ method: 'get', path: '/docs', summary: 'Interactive documentation of this API (Swagger UI)', anonymous: true, produces: ['text/html'] }, (req, res) => {
      if (req.path.endsWith('/')) return res.redirect(301, '../docs');
      res.set({ 'Content-Security-Policy': csp, 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-cache' });
      res.type('html').send(PAGE);
    }),

    route({ method: 'get', path: '/docs/assets/:file', summary: "The documentation page's scripts and styles", anonymous: true, produces: ['text/javascript', 'text/css'] }, (req, res) => {
      res.set('X-Content-Type-Options', 'nosniff');
      if (req.params.file === 'docs.js') return void res.set('Cache-Control', 'no-cache').type('text/javascript').send(INIT_SCRIPT);
      if (!VENDOR_ASSETS.has(req.params.file)) throw OcpiError.notFound(`No asset ${req.params.file}`);
      res.sendFile(req.params.file, { root: SWAGGER_UI, maxAge: '1h' });
    }),
  ]);
}
