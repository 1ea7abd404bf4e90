import { dirname, join } from 'node:path';
import express, { Router, type RequestHandler } from 'express';
import { isNotModified } from '../ocpi/etag';
import type { Logger } from '../platform/logger';
import { streamFeatureCollection } from './feature-collection-stream';
import { mapPage, type MapTiles } from './map-page';
import type { OpenDataService } from './open-data.service';

export interface OpenDataRouterOptions {
  tiles: MapTiles;
  logger: Logger;
}

const FEED_CACHE = 'public, max-age=30';

/** Served as published by the packages, never from a CDN; the page's own script and style from ./public (copied into dist by the build). */
function assets(): Router {
  const packageDist = (name: string) => join(dirname(require.resolve(`${name}/package.json`)), 'dist');
  const served = (root: string) => express.static(root, { index: false, maxAge: '1h', fallthrough: true });
  const router = Router();
  router.use('/leaflet', served(packageDist('leaflet')));
  router.use('/markercluster', served(packageDist('leaflet.markercluster')));
  router.use('/map', served(join(__dirname, 'public')));
  return router;
}

function geojsonFeed(service: OpenDataService, logger: Logger): RequestHandler {
  return async (req, res) => {
    const tag = await service.feedTag();
    res.set({ ETag: `W/${tag}`, 'Cache-Control': FEED_CACHE });
    if (isNotModified(req, tag)) return void res.status(304).end();
    res.set('Content-Type', 'application/geo+json; charset=utf-8');
    if (req.method === 'HEAD') return void res.end();
    await streamFeatureCollection(res, service.featurePages(), logger);
  };
}

/** The anonymous feeds beyond OCPI: mounted only when OPEN_DATA is on (else these paths are unknown: 404). */
export function openDataRouter(service: OpenDataService, options: OpenDataRouterOptions): Router {
  const router = Router();
  router.get('/open-data/locations.geojson', geojsonFeed(service, options.logger));
  router.use('/open-data/assets', assets());
  router.get(['/', '/map'], mapPage(options.tiles));
  return router;
}
