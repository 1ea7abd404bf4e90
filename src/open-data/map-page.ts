import type { RequestHandler } from 'express';

export interface MapTiles {
  /** A Leaflet tile URL template, e.g. `https://tile.openstreetmap.org/{z}/{x}/{y}.png`; unset: a plain background. */
  url: string | undefined;
  attribution: string | undefined;
}

const ASSETS = '/open-data/assets';

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The origin the tiles come from, as a CSP source (`{s}` subdomains become a wildcard). */
export function tileSource(url: string): string {
  return /^(https?:\/\/[^/?#]+)/i.exec(url)![1]!.replace(/\{s\}/g, '*');
}

/** Only the node's own scripts, styles, data and images (and the tile host's images, when tiles are set). */
export function mapPagePolicy(tiles: MapTiles): string {
  const images = ["'self'", 'data:', ...(tiles.url ? [tileSource(tiles.url)] : [])].join(' ');
  return `default-src 'self'; img-src ${images}; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;
}

/** The page's configuration travels in data attributes: the policy allows no inline script. */
export function mapPageHtml(tiles: MapTiles): string {
  const data = [tiles.url && `data-tiles-url="${escapeHtml(tiles.url)}"`, tiles.attribution && `data-tiles-attribution="${escapeHtml(tiles.attribution)}"`];
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Charging locations</title>
<link rel="stylesheet" href="${ASSETS}/leaflet/leaflet.css">
<link rel="stylesheet" href="${ASSETS}/markercluster/MarkerCluster.css">
<link rel="stylesheet" href="${ASSETS}/markercluster/MarkerCluster.Default.css">
<link rel="stylesheet" href="${ASSETS}/map/map.css">
</head>
<body>
<div id="map" ${data.filter(Boolean).join(' ')} data-feed="/open-data/locations.geojson"></div>
<div id="legend" class="legend"></div>
<script src="${ASSETS}/leaflet/leaflet.js"></script>
<script src="${ASSETS}/markercluster/leaflet.markercluster.js"></script>
<script src="${ASSETS}/map/map.js"></script>
</body>
</html>
`;
}

/** `GET /` and `/map`: the public map of the published locations. */
export function mapPage(tiles: MapTiles): RequestHandler {
  const html = mapPageHtml(tiles);
  const policy = mapPagePolicy(tiles);
  return (_req, res) => {
    res.set({ 'Content-Security-Policy': policy, 'Cache-Control': 'public, max-age=300', 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer' });
    res.type('html').send(html);
  };
}
