import { Injector, type Provider, runInInjectionContext } from '@angular/core';
import {
  type AuthState,
  type BffAccess,
  type BffClient,
  type LoginOptions,
  OAuthError,
  type StartResult,
  type User,
  type WardenClient,
} from '@warden/browser';
import { AuthService } from '../src/auth-service.js';
import { WARDEN_CLIENT } from '../src/warden-config.js';

/** A `WardenClient` whose start result, state and token the test sets; it records sign-in calls. */
export class FakeWardenClient implements WardenClient {
  state: AuthState = { isLoading: true, isAuthenticated: false, user: undefined, error: undefined };
  readonly logins: (LoginOptions | undefined)[] = [];
  readonly callbacks: (string | undefined)[] = [];
  token: string | undefined;
  starts = 0;
  /** What `handleRedirectCallback` resolves with; it rejects like a foreign `state` when unset. */
  callbackResult: { returnTo: string } | undefined;
  #listeners = new Set<(state: AuthState) => void>();
  #startResult: Promise<StartResult>;
  #settle: (result: StartResult) => void = () => {};

  constructor() {
    this.#startResult = new Promise((resolve) => {
      this.#settle = resolve;
    });
  }

  /** Settles `start()` with `result`, signed in as `user` when given. */
  finishStart(result: StartResult, user?: User): void {
    this.setState({ isLoading: false, isAuthenticated: user !== undefined, user, error: undefined });
    this.#settle(result);
  }

  setState(state: AuthState): void {
    this.state = state;
    for (const listener of this.#listeners) listener(state);
  }

  start = () => {
    this.starts += 1;
    return this.#startResult;
  };
  /** What `login` rejects with, when set. */
  loginFailure: Error | undefined;
  login = async (options?: LoginOptions) => {
    this.logins.push(options);
    if (this.loginFailure) throw this.loginFailure;
  };
  loginSilently = async () => false;
  handleRedirectCallback = async (url?: string) => {
    this.callbacks.push(url);
    if (this.callbackResult) return this.callbackResult;
    throw new OAuthError('invalid_request', 'the state does not match a sign-in started in this tab');
  };
  getAccessToken = async () => {
    if (this.token === undefined) throw new OAuthError('login_required', 'no user is signed in');
    return this.token;
  };
  fetch = (input: RequestInfo | URL, init?: RequestInit) => fetch(input, init);
  logout = async () => {};
  getState = () => this.state;
  subscribe = (listener: (state: AuthState) => void) => {
    this.#listeners.add(listener);
    listener(this.state);
    return () => {
      this.#listeners.delete(listener);
    };
  };
  close = () => this.#listeners.clear();
}

/** An injector with the fake client, the real `AuthService` and `extra` providers. */
export function createTestInjector(client: FakeWardenClient, extra: Provider[] = []): Injector {
  return Injector.create({
    providers: [
      { provide: WARDEN_CLIENT, useValue: client },
      { provide: AuthService, useFactory: () => new AuthService() },
      ...extra,
    ],
  });
}

export function inContext<T>(injector: Injector, run: () => T): T {
  return runInInjectionContext(injector, run);
}

export const daenerys: User = { sub: 'user-1', name: 'Daenerys Targaryen', email: 'admin@example.com' };

/** The cookie-mode client: no token, the grants `/bff/user` told; it counts `logoutEverywhere` calls. */
export class FakeBffClient extends FakeWardenClient implements BffClient {
  readonly mode = 'cookie' as const;
  access: BffAccess | undefined;
  everywhere = 0;
  override getAccessToken = async (): Promise<string> => {
    throw new OAuthError('invalid_request', 'in cookie mode the access token stays on the app server');
  };
  getAccess = () => this.access;
  logoutEverywhere = async () => {
    this.everywhere += 1;
  };
}

/** An unsigned token with `claims` as its payload: enough for code that only decodes. */
export function unsignedJwt(claims: Record<string, unknown>): string {
  const part = (value: unknown) =>
    btoa(JSON.stringify(value)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  return `${part({ alg: 'RS256', typ: 'at+jwt' })}.${part(claims)}.c2lnbmF0dXJl`;
}

/** A page at `href` for the browser SDK: location, history and in-memory storage, no BroadcastChannel. */
export function fakeWindow(href = 'http://localhost:4200/') {
  const storage = () => {
    const items = new Map<string, string>();
    return {
      get length() {
        return items.size;
      },
      key: (index: number) => [...items.keys()][index] ?? null,
      getItem: (key: string) => items.get(key) ?? null,
      setItem: (key: string, value: string) => void items.set(key, value),
      removeItem: (key: string) => void items.delete(key),
    };
  };
  const assigned: string[] = [];
  return {
    assigned,
    location: { href, origin: new URL(href).origin, assign: (url: string) => void assigned.push(url) },
    history: { state: null, replaceState: () => {} },
    sessionStorage: storage(),
    localStorage: storage(),
  };
}
