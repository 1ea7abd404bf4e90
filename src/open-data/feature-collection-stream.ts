import type { ServerResponse } from 'node:http';
import type { Logger } from '../platform/logger';

/** Writes `chunk`; when the socket's buffer is full, waits for 'drain'. False once the client has gone. */
async function written(res: ServerResponse, chunk: string): Promise<boolean> {
  if (res.destroyed) return false;
  if (res.write(chunk)) return true;
  return new Promise((resolve) => {
    const done = (ok: boolean) => {
      res.off('drain', onDrain);
      res.off('close', onClose);
      resolve(ok);
    };
    const onDrain = () => done(true);
    const onClose = () => done(false);
    res.once('drain', onDrain);
    res.once('close', onClose);
  });
}

/**
 * Streams an RFC 7946 FeatureCollection, one write per page, honouring backpressure. A failure after the
 * head has left cannot become an error response: the connection is destroyed, so the client sees a
 * truncated body (never a complete-looking document), and the failure is logged.
 */
export async function streamFeatureCollection(res: ServerResponse, pages: AsyncIterable<unknown[]>, logger: Logger): Promise<void> {
  let features = 0;
  try {
    if (!(await written(res, '{"type":"FeatureCollection","features":['))) return;
    for await (const page of pages) {
      if (page.length === 0) continue;
      const text = (features > 0 ? ',' : '') + page.map((feature) => JSON.stringify(feature)).join(',');
      features += page.length;
      if (!(await written(res, text))) return;
    }
    res.end(']}');
  } catch (error) {
    logger.error('open-data GeoJSON feed failed mid-stream: response aborted', { features_sent: features, error: (error as Error).message, stack: (error as Error).stack });
    res.destroy();
  }
}
