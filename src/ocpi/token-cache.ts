import type { TokenResolver } from './auth';

/**
 * Remembers resolved tokens for `ttlMs`, so a partner's every request does not cost a token query.
 * Only known tokens are kept (an unknown one is looked up each time, so a new token works at once).
 * `clear()` is called whenever this process revokes or replaces a token; another process sharing the
 * database sees a revocation within `ttlMs`.
 */
export function cachedTokenResolver(resolve: TokenResolver, ttlMs: number, maxEntries = 10_000) {
  const cache = new Map<string, { expires: number; value: Awaited<ReturnType<TokenResolver>> }>();
  const resolver: TokenResolver = async (candidates) => {
    if (ttlMs <= 0) return resolve(candidates);
    const key = candidates.join('\n');
    const now = Date.now();
    const hit = cache.get(key);
    if (hit && hit.expires > now) return hit.value;
    const value = await resolve(candidates);
    if (value) {
      if (cache.size >= maxEntries) cache.clear();
      cache.set(key, { expires: now + ttlMs, value });
    }
    return value;
  };
  return { resolve: resolver, clear: () => cache.clear() };
}
