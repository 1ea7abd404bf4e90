import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** 256 bits of randomness in URL-safe Base64: printable, non-whitespace ASCII as OCPI requires, 43 chars. */
export function generateTokenSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function hashTokenSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

export function tokenHashesEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && timingSafeEqual(left, right);
}
