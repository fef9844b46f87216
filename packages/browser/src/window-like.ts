/** The parts of `Storage` the client uses (`sessionStorage`, `localStorage`, or a fake in tests). */
export interface StorageLike {
  readonly length: number;
  key(index: number): string | null;
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** The parts of `BroadcastChannel` the client uses. */
export interface ChannelLike {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  close(): void;
}

/** The part of the Web Locks API (`navigator.locks`) the client uses. */
export interface LockManagerLike {
  request<T>(name: string, callback: (lock: unknown) => Promise<T>): Promise<T>;
  /** With `ifAvailable`, `callback` gets `null` at once when another holder has the lock. */
  request<T>(
    name: string,
    options: { ifAvailable?: boolean },
    callback: (lock: unknown) => Promise<T>,
  ): Promise<T>;
}

/**
 * The browser the client runs in: the real `window` by default. Tests pass fakes; every member
 * the client touches is listed here. `BroadcastChannel` and `navigator.locks` are optional: without
 * them tabs do not share tokens and each tab refreshes on its own (see the README).
 */
export interface WindowLike {
  location: { readonly href: string; assign(url: string): void };
  history: { readonly state: unknown; replaceState(data: unknown, unused: string, url?: string): void };
  sessionStorage: StorageLike;
  localStorage: StorageLike;
  BroadcastChannel?: new (name: string) => ChannelLike;
  navigator?: { locks?: LockManagerLike };
}
