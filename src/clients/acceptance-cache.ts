import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { ClientProfile } from '../shared/profile-schema';

type Lookup<V> = (key: string) => Promise<V | undefined>;

export interface CachedLookups {
  clientForApiKey: Lookup<string>;
  findProfile: Lookup<ClientProfile>;
  /** Drops what this process holds for a client, after its profile or one of its keys changed here. */
  forgetClient: (clientId: string) => void;
}

const MAX_ENTRIES = 10_000;

/**
 * Keeps what `lookup` found for `ttlMs`; 0 keeps nothing. Only hits are kept: an unknown key or client is asked
 * again every time, so a new key or client works at once.
 */
function keepHits<V extends object | string>(lookup: Lookup<V>, ttlMs: number, cacheKey: (key: string) => string) {
  if (ttlMs === 0) return { get: lookup, forget: () => undefined };
  const cache = new LRUCache<string, V>({ max: MAX_ENTRIES, ttl: ttlMs });
  return {
    get: async (key: string) => {
      const at = cacheKey(key);
      const cached = cache.get(at);
      if (cached !== undefined) return cached;
      const found = await lookup(key);
      if (found !== undefined) cache.set(at, found);
      return found;
    },
    /** Drops every entry `matches` picks; only admin changes call it, so a scan of at most MAX_ENTRIES is fine. */
    forget: (matches: (value: V, at: string) => boolean) => {
      for (const [at, value] of cache.entries()) if (matches(value, at)) cache.delete(at);
    },
  };
}

// Keyed by a digest: a cache that outlives the request holds no usable key.
const digest = (apiKey: string) => createHash('sha256').update(apiKey).digest('base64');
const same = (key: string) => key;

/**
 * The two reads every accepted message makes (whose key is this, what is its profile), kept for `ttlMs`. A change
 * made through this process is forgotten before it is answered; other processes see it within `ttlMs`. 0 turns
 * caching off.
 */
export function cachedLookups(source: Omit<CachedLookups, 'forgetClient'>, ttlMs: number): CachedLookups {
  const clients = keepHits(source.clientForApiKey, ttlMs, digest);
  const profiles = keepHits(source.findProfile, ttlMs, same);
  return {
    clientForApiKey: clients.get,
    findProfile: profiles.get,
    forgetClient: (clientId) => {
      profiles.forget((_, at) => at === clientId);
      clients.forget((owner) => owner === clientId);
    },
  };
}

/** Profiles alone, for the Kafka bridge: it changes none, so nothing here is forgotten before `ttlMs`. */
export const cachedProfiles = (findProfile: Lookup<ClientProfile>, ttlMs: number): Lookup<ClientProfile> =>
  keepHits(findProfile, ttlMs, same).get;
