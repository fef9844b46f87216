import type { CreateSessionOptions, SessionRecord } from './session-store.js';

/**
 * The records to evict so that, with one more session, the user keeps at most `maxPerUser`:
 * the least recently seen first (`lastSeenAt`, then `createdAt`, then `idHash`). `others` are the
 * user's live records, the new one not included. Every store orders evictions this way.
 */
export function leastRecentlySeen<T extends Pick<SessionRecord, 'idHash' | 'lastSeenAt' | 'createdAt'>>(
  others: readonly T[],
  maxPerUser: number,
): T[] {
  const excess = others.length - (maxPerUser - 1);
  if (excess <= 0) return [];
  return [...others]
    .sort(
      (a, b) =>
        a.lastSeenAt - b.lastSeenAt ||
        a.createdAt - b.createdAt ||
        (a.idHash < b.idHash ? -1 : a.idHash > b.idHash ? 1 : 0),
    )
    .slice(0, excess);
}

/** Validates `create` options (TypeError naming the option); returns `maxPerUser` or undefined. */
export function checkCreateOptions(options: CreateSessionOptions | undefined): number | undefined {
  if (options === undefined) return undefined;
  if (options === null || typeof options !== 'object') throw new TypeError('options: must be an object');
  if (options.replaces !== undefined && (typeof options.replaces !== 'string' || options.replaces === '')) {
    throw new TypeError('replaces: must be a non-empty idHash');
  }
  const max = options.maxPerUser;
  if (max !== undefined && (!Number.isSafeInteger(max) || max < 1)) {
    throw new TypeError('maxPerUser: must be a whole number, at least 1');
  }
  return max;
}
