import type { Request, Response } from 'express';

/** Strong ETag from a row's version counter. */
export function etagOf(version: number): string {
  return `"${version}"`;
}

export function setEtag(res: Response, version: number): void {
  res.setHeader('ETag', etagOf(version));
}

/** True when the client's `If-None-Match` already names this version (answer 304). */
export function isNotModified(req: Request, version: number): boolean {
  const header = req.headers['if-none-match'];
  if (!header) return false;
  const tag = etagOf(version);
  return header.trim() === '*' || header.split(',').some((t) => t.trim().replace(/^W\//, '') === tag);
}
