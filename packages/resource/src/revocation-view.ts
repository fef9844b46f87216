import type { RevocableClaims } from '@warden/protocol';
import { RevocationFollower } from './revocation-follower.js';

/**
 * What the verifier asks of a revocation source on every request. A `RevocationFollower` (which
 * follows the issuer's revocation feed) is one; a test or an application may pass its own.
 */
export interface RevocationView {
  /** Whether a token with these claims, signed by the key `kid`, is revoked. Must be O(1). */
  isRevoked(claims: RevocableClaims, kid?: string): boolean;
  /** Seconds since the view was last known to be current; null before it ever was. */
  staleness(): number | null;
  /** The sequence number of the newest entry applied, when the view has one. */
  readonly lastSeq?: number;
  /**
   * A value that changes whenever `isRevoked` could answer true where it answered false before
   * (an entry was added), when the view can tell. The verifier then asks `isRevoked` about a
   * remembered token once per revision instead of on every request. Leave it out to be asked
   * every time.
   */
  readonly revision?: number;
  /** Whether the view is connected to its feed right now, when it has one. */
  readonly connected?: boolean;
  /** Resolves once the view is current for the first time. */
  ready?(): Promise<void>;
  /** Stops following the feed. */
  close?(): void | Promise<void>;
}

/** What a revocation view built from the verifier's options gets. */
export interface RevocationFeedSettings {
  feedUrl: string;
  fetch: typeof fetch;
  /** Milliseconds since the epoch. */
  clock: () => number;
  logger: { warn(details: object, message?: string): void };
  /** Called when the feed revokes a signing key (`warden keys revoke-all`). */
  onKeyRevoked?: (kid: string) => void;
}

/** True for an object that can serve as a `RevocationView`. */
export function isRevocationView(value: unknown): value is RevocationView {
  const view = value as Partial<RevocationView> | null;
  return (
    typeof view === 'object' &&
    view !== null &&
    typeof view.isRevoked === 'function' &&
    typeof view.staleness === 'function'
  );
}

/**
 * The view the verifier follows when `options.revocation` asks for the feed: a
 * `RevocationFollower` on `feedUrl`, started at once. The caller owns it and closes it.
 */
export function followRevocations(settings: RevocationFeedSettings): RevocationView {
  const follower = new RevocationFollower({
    feedUrl: settings.feedUrl,
    fetch: settings.fetch,
    clock: settings.clock,
    logger: settings.logger,
    ...(settings.onKeyRevoked ? { onKeyRevoked: settings.onKeyRevoked } : {}),
  });
  follower.start();
  return follower;
}
