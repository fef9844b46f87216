import type { User } from './user.js';

/** What the UI shows: the article's `loggedIn$` BehaviorSubject, with the profile and the last error. */
export interface AuthState {
  /** True until `start()` (or the callback) has settled, and while a redirect is under way. */
  readonly isLoading: boolean;
  readonly isAuthenticated: boolean;
  readonly user: User | undefined;
  /** The last failure (an `OAuthError` for protocol errors); cleared by the next sign-in. */
  readonly error: Error | undefined;
}

export type AuthStateListener = (state: AuthState) => void;

const initialState: AuthState = Object.freeze({
  isLoading: true,
  isAuthenticated: false,
  user: undefined,
  error: undefined,
});

/**
 * A value with listeners, like a BehaviorSubject: `subscribe` calls the listener at once with the
 * current state, then on every change. Each state is a new frozen object; setting an equal state
 * notifies nobody. A listener that throws does not stop the others; its error is rethrown
 * asynchronously.
 */
export class AuthStateStore {
  #state: AuthState = initialState;
  readonly #listeners = new Set<AuthStateListener>();

  get(): AuthState {
    return this.#state;
  }

  set(next: AuthState): void {
    const current = this.#state;
    if (
      current.isLoading === next.isLoading &&
      current.isAuthenticated === next.isAuthenticated &&
      current.user === next.user &&
      current.error === next.error
    ) {
      return;
    }
    this.#state = Object.freeze({ ...next });
    for (const listener of [...this.#listeners]) this.#notify(listener);
  }

  subscribe(listener: AuthStateListener): () => void {
    if (typeof listener !== 'function') throw new TypeError('listener must be a function');
    this.#listeners.add(listener);
    this.#notify(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  clear(): void {
    this.#listeners.clear();
  }

  #notify(listener: AuthStateListener): void {
    try {
      listener(this.#state);
    } catch (error) {
      queueMicrotask(() => {
        throw error;
      });
    }
  }
}
