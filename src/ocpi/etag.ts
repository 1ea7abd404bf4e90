import { createHash } from 'node:crypto';
import type { Request, Response } from 'express';

/** Strong ETag from a row's version counter. */
export function etagOf(version: number): string {
  return `"${version}"`;
}

/**
 * Strong ETag of a view that shows more than its row (a partner with its reachability and queue): the
 * row's version and a digest of the rest, so a conditional GET sees every change of what it shows.
 */
export function etagOfView(version: number, rest: unknown): string {
  return `"${version}.${createHash('sha256').update(JSON.stringify(rest)).digest('base64url').slice(0, 16)}"`;
}

export function setEtag(res: Response, version: number): void {
  res.setHeader('ETag', etagOf(version));
}

/** True when the client's `If-None-Match` already names this version or tag (answer 304). */
export function isNotModified(req: Request, versionOrTag: number | string): boolean {
  const header = req.headers['if-none-match'];
  if (!header) return false;
  const tag = typeof versionOrTag === 'number' ? etagOf(versionOrTag) : versionOrTag;
  return header.trim() === '*' || header.split(',').some((t) => t.trim().replace(/^W\//, '') === tag);
}
