import type { ChannelLike, LockManagerLike, StorageLike, WindowLike } from '../src/window-like.js';

/** `Storage` over a Map. */
export class FakeStorage implements StorageLike {
  readonly #items = new Map<string, string>();

  get length(): number {
    return this.#items.size;
  }

  key(index: number): string | null {
    return [...this.#items.keys()][index] ?? null;
  }

  getItem(key: string): string | null {
    return this.#items.get(key) ?? null;
  }

  setItem(key: string, value: string): void {
    this.#items.set(key, String(value));
  }

  removeItem(key: string): void {
    this.#items.delete(key);
  }

  keys(): string[] {
    return [...this.#items.keys()];
  }

  /** Every stored value, joined: to look for a token anywhere in the storage. */
  dump(): string {
    return [...this.#items].map(([key, value]) => `${key}=${value}`).join('\n');
  }
}

/**
 * The BroadcastChannels of one browser profile: a message posted on one channel reaches every
 * other open channel of the same name (never the sender), as a structured clone, in a later
 * microtask, as browsers deliver it asynchronously.
 */
export class BroadcastHub {
  readonly #open = new Set<FakeChannel>();
  readonly sent: { name: string; data: unknown }[] = [];
  /**
   * Milliseconds a message takes to reach the other tabs; 0 (the default) delivers on the next
   * microtask. A browser gives no order between a message and a lock grant, so a message may land
   * after the lock it was sent before.
   */
  latency = 0;

  get Channel(): new (
    name: string,
  ) => ChannelLike {
    const hub = this;
    return class extends FakeChannel {
      constructor(name: string) {
        super(name, hub);
      }
    };
  }

  join(channel: FakeChannel): void {
    this.#open.add(channel);
  }

  leave(channel: FakeChannel): void {
    this.#open.delete(channel);
  }

  deliver(from: FakeChannel, data: unknown): void {
    this.sent.push({ name: from.name, data });
    for (const channel of this.#open) {
      if (channel !== from && channel.name === from.name) {
        const copy = structuredClone(data);
        if (this.latency > 0) setTimeout(() => channel.dispatch(copy), this.latency);
        else queueMicrotask(() => channel.dispatch(copy));
      }
    }
  }
}

class FakeChannel implements ChannelLike {
  readonly #listeners: ((event: { data: unknown }) => void)[] = [];
  #closed = false;

  constructor(
    readonly name: string,
    private readonly hub: BroadcastHub,
  ) {
    hub.join(this);
  }

  postMessage(message: unknown): void {
    if (this.#closed) throw new Error('InvalidStateError: the channel is closed');
    this.hub.deliver(this, message);
  }

  addEventListener(_type: 'message', listener: (event: { data: unknown }) => void): void {
    this.#listeners.push(listener);
  }

  close(): void {
    this.#closed = true;
    this.hub.leave(this);
  }

  dispatch(data: unknown): void {
    if (this.#closed) return;
    for (const listener of this.#listeners) listener({ data });
  }
}

/** Web Locks (`navigator.locks`) for one browser profile: exclusive locks granted in request order. */
export class FakeLocks implements LockManagerLike {
  readonly #queues = new Map<string, Promise<unknown>>();
  /** Requests granted or waiting, per lock name. */
  readonly #busy = new Map<string, number>();

  request<T>(
    name: string,
    ...args: [(lock: unknown) => Promise<T>] | [{ ifAvailable?: boolean }, (lock: unknown) => Promise<T>]
  ): Promise<T> {
    const [options, callback] = args.length === 1 ? [{}, args[0]] : args;
    if (options.ifAvailable && (this.#busy.get(name) ?? 0) > 0) return callback(null);
    this.#busy.set(name, (this.#busy.get(name) ?? 0) + 1);
    const lock = { name };
    const previous = this.#queues.get(name) ?? Promise.resolve();
    const run = previous
      .then(
        () => callback(lock),
        () => callback(lock),
      )
      .finally(() => this.#busy.set(name, (this.#busy.get(name) ?? 1) - 1));
    this.#queues.set(
      name,
      run.catch(() => undefined),
    );
    return run;
  }
}

export interface FakeWindowOptions {
  href: string;
  localStorage?: FakeStorage;
  sessionStorage?: FakeStorage;
  hub?: BroadcastHub;
  locks?: FakeLocks;
}

/** One tab: an address bar, history, storages, and (when given) the profile's channels and locks. */
export class FakeWindow implements WindowLike {
  readonly navigations: string[] = [];
  readonly sessionStorage: FakeStorage;
  readonly localStorage: FakeStorage;
  readonly BroadcastChannel?: new (
    name: string,
  ) => ChannelLike;
  readonly navigator: { locks?: LockManagerLike };
  readonly location: { href: string; assign(url: string): void };
  readonly history: { state: unknown; replaceState(data: unknown, unused: string, url?: string): void };

  constructor(options: FakeWindowOptions) {
    this.sessionStorage = options.sessionStorage ?? new FakeStorage();
    this.localStorage = options.localStorage ?? new FakeStorage();
    if (options.hub) this.BroadcastChannel = options.hub.Channel;
    this.navigator = options.locks ? { locks: options.locks } : {};
    const navigations = this.navigations;
    const location = {
      href: options.href,
      assign(url: string) {
        navigations.push(new URL(url, location.href).href);
      },
    };
    this.location = location;
    this.history = {
      state: null,
      replaceState(data: unknown, _unused: string, url?: string) {
        this.state = data;
        if (url !== undefined) location.href = new URL(url, location.href).href;
      },
    };
  }

  /** The last page this tab was sent to (`location.assign`). */
  lastNavigation(): string {
    const url = this.navigations.at(-1);
    if (url === undefined) throw new Error('the tab did not navigate');
    return url;
  }
}
