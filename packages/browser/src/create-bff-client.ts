import { toOAuthError } from '@warden/protocol/client';
import { OAuthError } from '@warden/protocol/core';
import { apiError } from './api-errors.js';
import { type AuthState, AuthStateStore } from './auth-state.js';
import type {
  GetAccessTokenOptions,
  LoginOptions,
  LogoutOptions,
  StartResult,
  WardenClient,
} from './create-client.js';
import type { User } from './user.js';
import type { ChannelLike, WindowLike } from './window-like.js';

export interface BffClientOptions {
  /** Where the backend-for-frontend's routes live on this origin (default `/bff`). */
  basePath?: string;
  /** Path prefixes on this origin that the backend-for-frontend forwards to APIs (default `['/api/']`). */
  apiPaths?: readonly string[];
  /** Default: the global `fetch`. */
  fetch?: typeof fetch;
  /** Default: `window`. */
  window?: WindowLike & { location: { readonly origin?: string } };
}

/** What the backend-for-frontend says about the access token: grants, never the token. */
export interface BffAccess {
  scope: string;
  roles?: string[];
  permissions?: string[];
  /** Epoch seconds. */
  expiresAt: number;
}

/** A `WardenClient` for cookie mode, with what `/bff/user` tells about the grants. */
export interface BffClient extends WardenClient {
  readonly mode: 'cookie';
  /** The grants of the session's access token, once signed in. */
  getAccess(): BffAccess | undefined;
  /** Like `logout`, and ends the user's sessions in every other browser too. */
  logoutEverywhere(): Promise<void>;
}

const CHANNEL = 'warden-bff';
const ERROR_PARAMS = ['error', 'error_description'];
const SILENT_KEY = 'warden.bff.silent';

/**
 * The browser half of cookie mode (`@warden/bff` on the app's own origin): no token ever reaches
 * this page. It reads who is signed in from `<basePath>/user`, signs in and out by navigating to
 * the backend-for-frontend, and its `fetch` calls same-origin API paths with the HttpOnly session
 * cookie. `getAccessToken` always rejects (`invalid_request`): in cookie mode there is no token
 * to hand out. Other tabs learn about a logout over a BroadcastChannel.
 */
export function createBffClient(options: BffClientOptions = {}): BffClient {
  const basePath = options.basePath ?? '/bff';
  if (!/^\/[\w.~-]+(\/[\w.~-]+)*$/.test(basePath))
    throw new TypeError('options.basePath must be a path such as /bff');
  const apiPaths = options.apiPaths ?? ['/api/'];
  if (!apiPaths.every((path) => typeof path === 'string' && path.startsWith('/'))) {
    throw new TypeError('options.apiPaths must be paths starting with /');
  }
  const win = options.window ?? (globalThis as unknown as { window?: BffClientOptions['window'] }).window;
  if (!win) throw new TypeError('options.window is required outside a browser');
  const fetcher: typeof fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  return new CookieModeClient(basePath, apiPaths, win, fetcher);
}

class CookieModeClient implements BffClient {
  readonly mode = 'cookie' as const;
  readonly #store = new AuthStateStore();
  readonly #channel: ChannelLike | undefined;
  #access: BffAccess | undefined;
  #started: Promise<StartResult> | undefined;

  constructor(
    private readonly basePath: string,
    private readonly apiPaths: readonly string[],
    private readonly win: NonNullable<BffClientOptions['window']>,
    private readonly fetcher: typeof fetch,
  ) {
    this.#channel = win.BroadcastChannel ? new win.BroadcastChannel(CHANNEL) : undefined;
    this.#channel?.addEventListener('message', (event) => {
      if ((event.data as { type?: unknown } | null)?.type === 'logout') this.#signedOut();
    });
  }

  start(): Promise<StartResult> {
    this.#started ??= this.#start();
    return this.#started;
  }

  async #start(): Promise<StartResult> {
    const url = new URL(this.win.location.href);
    const code = url.searchParams.get('error');
    // A sign-in the backend-for-frontend could not finish comes back as ?error=…&error_description=….
    const signInError =
      code === null ? undefined : toOAuthError(code, url.searchParams.get('error_description'));
    if (code !== null) {
      for (const name of ERROR_PARAMS) url.searchParams.delete(name);
      this.win.history.replaceState(this.win.history.state, '', url.href);
    }
    try {
      const signedIn = await this.#refreshUser();
      if (signedIn) return { outcome: 'restored' };
      if (signInError === undefined) return { outcome: 'signed-out' };
      this.#store.set({ isLoading: false, isAuthenticated: false, user: undefined, error: signInError });
      return { outcome: 'error', error: signInError };
    } catch (error) {
      const failure = error instanceof Error ? error : new Error(String(error));
      this.#store.set({ isLoading: false, isAuthenticated: false, user: undefined, error: failure });
      return { outcome: 'error', error: failure };
    }
  }

  /** Asks `/user`; true when signed in. Throws `temporarily_unavailable` when it cannot be reached. */
  async #refreshUser(): Promise<boolean> {
    let response: Response;
    try {
      response = await this.fetcher(`${this.basePath}/user`, {
        credentials: 'same-origin',
        headers: { accept: 'application/json' },
      });
    } catch (cause) {
      throw new OAuthError('temporarily_unavailable', 'the app server cannot be reached', { cause });
    }
    if (!response.ok)
      throw new OAuthError('temporarily_unavailable', `the app server answered ${response.status}`);
    const body = (await response.json()) as { isAuthenticated?: boolean; user?: User; access?: BffAccess };
    if (body.isAuthenticated !== true || typeof body.user !== 'object' || body.user === null) {
      this.#signedOut();
      return false;
    }
    this.#access = body.access;
    this.#store.set({
      isLoading: false,
      isAuthenticated: true,
      user: Object.freeze({ ...body.user }),
      error: undefined,
    });
    return true;
  }

  async login(options: LoginOptions = {}): Promise<void> {
    const params = new URLSearchParams({ returnTo: this.#returnPath(options.returnTo) });
    if (options.prompt === 'login') params.set('prompt', 'login');
    this.#store.set({ ...this.#store.get(), isLoading: true });
    this.win.location.assign(`${this.basePath}/login?${params.toString()}`);
  }

  async loginSilently(options: Pick<LoginOptions, 'returnTo'> = {}): Promise<boolean> {
    if (this.win.sessionStorage.getItem(SILENT_KEY) !== null) return false;
    this.win.sessionStorage.setItem(SILENT_KEY, '1');
    const params = new URLSearchParams({ returnTo: this.#returnPath(options.returnTo), prompt: 'none' });
    this.win.location.assign(`${this.basePath}/login?${params.toString()}`);
    return true;
  }

  handleRedirectCallback(): Promise<{ returnTo: string }> {
    return Promise.reject(
      new OAuthError('invalid_request', 'in cookie mode the app server handles the sign-in callback'),
    );
  }

  getAccessToken(_options?: GetAccessTokenOptions): Promise<string> {
    return Promise.reject(
      new OAuthError('invalid_request', 'in cookie mode the access token stays on the app server'),
    );
  }

  getAccess(): BffAccess | undefined {
    return this.#access;
  }

  async fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    const url = new URL(input instanceof Request ? input.url : String(input), this.win.location.href);
    const request = input instanceof Request ? new Request(input, init) : new Request(url, init);
    const sameOrigin = url.origin === new URL(this.win.location.href).origin;
    const isApi = sameOrigin && this.apiPaths.some((path) => url.pathname.startsWith(path));
    const response = await this.fetcher(request, { credentials: 'same-origin' });
    if (!isApi) return response;
    if (response.status === 401) {
      this.#signedOut();
      throw apiError(response);
    }
    if (response.status === 403) throw apiError(response);
    return response;
  }

  async logout(options: LogoutOptions & { everywhere?: boolean } = {}): Promise<void> {
    let logoutUrl = options.returnTo ?? '/';
    try {
      const response = await this.fetcher(`${this.basePath}/logout`, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ everywhere: options.everywhere === true }),
      });
      const body = (await response.json().catch(() => ({}))) as { logoutUrl?: unknown };
      if (response.ok && typeof body.logoutUrl === 'string') logoutUrl = body.logoutUrl;
    } catch {
      // The server session could not be ended from here; the idp's logout below still ends its own.
    }
    this.#signedOut();
    this.#channel?.postMessage({ type: 'logout' });
    this.win.sessionStorage.removeItem(SILENT_KEY);
    this.win.location.assign(logoutUrl);
  }

  logoutEverywhere(): Promise<void> {
    return this.logout({ everywhere: true });
  }

  getState(): AuthState {
    return this.#store.get();
  }

  subscribe(listener: (state: AuthState) => void): () => void {
    return this.#store.subscribe(listener);
  }

  close(): void {
    this.#channel?.close();
    this.#store.clear();
  }

  #signedOut(): void {
    this.#access = undefined;
    this.#store.set({ isLoading: false, isAuthenticated: false, user: undefined, error: undefined });
  }

  /** A path of this origin (query and hash kept); anything else becomes the current page. */
  #returnPath(returnTo: string | undefined): string {
    const here = new URL(this.win.location.href);
    const target = new URL(returnTo ?? here.href, here);
    if (target.origin !== here.origin) return '/';
    return `${target.pathname}${target.search}${target.hash}`;
  }
}
