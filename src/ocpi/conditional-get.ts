import type { Request, Response } from 'express';
import { isNotModified, setEtag } from './etag';

/** Sets the ETag; answers 304 and returns true when the client already has this version. */
export function answeredNotModified(req: Request, res: Response, version: number): boolean {
  setEtag(res, version);
  if (!isNotModified(req, version)) return false;
  res.status(304).end();
  return true;
}
