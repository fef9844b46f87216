import { isTokenSet, type TokenSet } from './token-set.js';
import type { ChannelLike, LockManagerLike, WindowLike } from './window-like.js';

/** What tabs of one origin tell each other about one client. */
export type TabMessage =
  /** A new token set (sign-in or refresh): every tab adopts it. */
  | { type: 'tokens'; tokens: TokenSet }
  /** Signed out: every tab forgets its tokens. */
  | { type: 'logout' }
  /** A tab without tokens asks whether another tab has some. */
  | { type: 'request' };

/**
 * The tabs of one origin: a BroadcastChannel to share results and a Web Lock so that only one
 * tab at a time refreshes. Either may be missing (old browsers, tests): without the channel
 * nothing is shared, without locks `withLock` runs at once.
 */
export class TabSync {
  readonly #channel: ChannelLike | undefined;
  readonly #locks: LockManagerLike | undefined;
  readonly #lockName: string;

  constructor(window: WindowLike, name: string, onMessage: (message: TabMessage) => void) {
    this.#lockName = `${name}:refresh`;
    this.#locks = window.navigator?.locks;
    const Channel = window.BroadcastChannel;
    this.#channel = Channel ? new Channel(name) : undefined;
    this.#channel?.addEventListener('message', (event) => {
      const message = readMessage(event.data);
      if (message) onMessage(message);
    });
  }

  /** True when messages reach other tabs. */
  get connected(): boolean {
    return this.#channel !== undefined;
  }

  /**
   * Runs `task` while holding this client's refresh lock across tabs (at once without Web Locks).
   * `task(waited)` learns whether another tab held the lock first: its result may then still be
   * on its way (a message and a lock grant arrive in no guaranteed order).
   */
  async withLock<T>(task: (waited: boolean) => Promise<T>): Promise<T> {
    const locks = this.#locks;
    if (!locks) return task(false);
    const free = await locks.request(this.#lockName, { ifAvailable: true }, async (lock) =>
      lock === null ? undefined : { result: await task(false) },
    );
    return free ? free.result : locks.request(this.#lockName, () => task(true));
  }

  /** Tells the other tabs (never this one). */
  post(message: TabMessage): void {
    this.#channel?.postMessage(message);
  }

  close(): void {
    this.#channel?.close();
  }
}

/** A message from another tab, checked for shape; anything else is ignored. */
function readMessage(data: unknown): TabMessage | undefined {
  const message = data as { type?: unknown; tokens?: unknown } | null;
  if (message?.type === 'logout' || message?.type === 'request') return { type: message.type };
  if (message?.type === 'tokens' && isTokenSet(message.tokens))
    return { type: 'tokens', tokens: message.tokens };
  return undefined;
}
