import { LRUCache } from 'lru-cache';
import type { TokenResolver } from './auth';

type Resolved = NonNullable<Awaited<ReturnType<TokenResolver>>>;

/** The memory the remembered tokens may take: about 4,000 partners' and admins' tokens. */
const MAX_BYTES = 1024 * 1024;

/** A key (the candidate secrets) and its resolved token, roughly as the heap holds them. */
const approximateBytes = (value: Resolved, key: string) => 2 * (key.length + value.secret.length) + 200;

/**
 * Remembers resolved tokens for `ttlMs`, so a partner's every request does not cost a token query.
 * Only known tokens are kept (an unknown one is looked up each time, so a new token works at once).
 * `clear()` is called whenever this process revokes or replaces a token; another process sharing the
 * database sees a revocation within `ttlMs`.
 */
export function cachedTokenResolver(resolve: TokenResolver, ttlMs: number) {
  if (ttlMs <= 0) return { resolve, clear: () => undefined };
  const cache = new LRUCache<string, Resolved>({ maxSize: MAX_BYTES, sizeCalculation: approximateBytes, ttl: ttlMs, ttlAutopurge: false });
  const resolver: TokenResolver = async (candidates) => {
    const key = candidates.join('\n');
    const hit = cache.get(key);
    if (hit) return hit;
    const value = await resolve(candidates);
    if (value) cache.set(key, value);
    return value;
  };
  return { resolve: resolver, clear: () => cache.clear() };
}
