import type { CacheLocation } from './client-options.js';
import { isTokenSet, type TokenSet } from './token-set.js';
import type { StorageLike, WindowLike } from './window-like.js';

/** Where a token set outlives the page (or does not). */
export interface TokenCache {
  /** True when other tabs read and write the same place (localStorage). */
  readonly shared: boolean;
  read(): TokenSet | undefined;
  write(tokens: TokenSet): void;
  clear(): void;
}

/**
 * The cache for `location`: `memory` keeps nothing beyond the page (the client's own variable is
 * the only copy), `session` uses sessionStorage (this tab, survives reloads), `local` uses
 * localStorage (every tab, survives restarts). A stored value that is not a token set is
 * removed and read as absent.
 */
export function createTokenCache(location: CacheLocation, window: WindowLike, key: string): TokenCache {
  if (location === 'memory')
    return { shared: false, read: () => undefined, write: () => {}, clear: () => {} };
  return storageCache(
    location === 'local' ? window.localStorage : window.sessionStorage,
    key,
    location === 'local',
  );
}

function storageCache(storage: StorageLike, key: string, shared: boolean): TokenCache {
  return {
    shared,
    read() {
      const text = storage.getItem(key);
      if (text === null) return undefined;
      try {
        const value: unknown = JSON.parse(text);
        if (isTokenSet(value)) return value;
      } catch {
        // not ours: dropped below
      }
      storage.removeItem(key);
      return undefined;
    },
    write(tokens) {
      storage.setItem(key, JSON.stringify(tokens));
    },
    clear() {
      storage.removeItem(key);
    },
  };
}
