import {
  fetchMetadata,
  type ProviderMetadata,
  requestTokens,
  type TokenResponse,
  toOAuthError,
  unreachable,
} from '@warden/protocol/client';
import {
  computeCodeChallenge,
  createCodeVerifier,
  isOAuthError,
  OAuthError,
  randomToken,
} from '@warden/protocol/core';
import type { IdTokenVerifier } from '@warden/protocol/jwt';
import { apiError } from './api-errors.js';
import type { AuthState, AuthStateListener } from './auth-state.js';
import { AuthStateStore } from './auth-state.js';
import { type ClientConfig, type ClientOptions, resolveClientOptions } from './client-options.js';
import { hasTransaction, pruneTransactions, saveTransaction, takeTransaction } from './login-transaction.js';
import { type TabMessage, TabSync } from './tab-sync.js';
import { createTokenCache, type TokenCache } from './token-cache.js';
import type { TokenSet } from './token-set.js';
import { toUser, type User } from './user.js';

export type Prompt = 'none' | 'login' | 'consent' | 'select_account';

export interface LoginOptions {
  /** Where to go after the callback: a URL or path on this origin. Default: the current page. */
  returnTo?: string;
  /** OIDC `prompt`: `login` forces the password even with an idp session, `consent` asks again. */
  prompt?: Prompt;
  /** OIDC `login_hint`: pre-fills the idp's sign-in form. */
  loginHint?: string;
}

export interface LogoutOptions {
  /** The `post_logout_redirect_uri`: must be registered for the client. Default `postLogoutRedirectUri`. */
  returnTo?: string;
}

export interface GetAccessTokenOptions {
  /** Renew even if the cached access token is still fresh. */
  forceRefresh?: boolean;
}

/** How `start()` settled. */
export type StartResult =
  /** The page was the idp's callback: the sign-in finished (or a silent one found no session). */
  | { outcome: 'callback'; returnTo: string }
  /** Tokens from the cache, another tab or a refresh: signed in without a redirect. */
  | { outcome: 'restored' }
  /** On its way to the idp for a `prompt=none` sign-in; the page is about to unload. */
  | { outcome: 'redirecting' }
  | { outcome: 'signed-out' }
  /** The state holds the same error. */
  | { outcome: 'error'; error: Error };

/** A browser client of one Warden idp for one SPA. Create it with `createClient`. */
export interface WardenClient {
  /**
   * Call once when the app boots. On the callback URL of a pending sign-in it finishes that
   * sign-in; otherwise it restores the session from the cache, another open tab or the refresh
   * token; failing that (and when `silentLogin` is on) it redirects to the idp with
   * `prompt=none` once per tab session. Never rejects: failures land in the state and the result.
   */
  start(): Promise<StartResult>;
  /** Redirects to the idp's sign-in (code flow with PKCE S256, state and nonce). */
  login(options?: LoginOptions): Promise<void>;
  /**
   * Redirects to the idp with `prompt=none` to reuse its session, unless this tab already tried
   * since its last sign-in (then resolves false and does nothing). True when navigating.
   */
  loginSilently(options?: Pick<LoginOptions, 'returnTo'>): Promise<boolean>;
  /**
   * Finishes a sign-in on the callback URL (default: the current address): checks `state`,
   * `iss` (RFC 9207) and the idp's error, exchanges the code, verifies the id_token, removes
   * `code`, `state` and `iss` from the address bar, and returns where the app wanted to go.
   * Rejects with `OAuthError` (the idp's `error`, or `invalid_request` / `invalid_token` for a
   * callback that fails the checks). Calling it twice for one URL returns the same promise.
   */
  handleRedirectCallback(url?: string): Promise<{ returnTo: string }>;
  /**
   * A valid access token, renewed with the rotating refresh token `refreshMargin` seconds before
   * expiry. Concurrent callers share one refresh; across tabs only one tab refreshes and the others
   * take its result. Rejects with `OAuthError('login_required')` when the user must sign in.
   */
  getAccessToken(options?: GetAccessTokenOptions): Promise<string>;
  /**
   * `fetch` that adds `Authorization: Bearer` for requests to `apiOrigins` only (exact origin).
   * For those, a 401 is retried once with a renewed token; a second 401 signs this tab out and
   * rejects with `OAuthError` (status 401), a 403 rejects with `OAuthError` (status 403, the
   * challenge's `scope`); both carry the response as `cause`. Other answers resolve as usual.
   * Rejects with `login_required` (no request sent) when an API request finds no user signed in.
   */
  fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response>;
  /**
   * Signs out in every tab, revokes the refresh and access tokens and redirects to the idp's
   * end_session_endpoint.
   */
  logout(options?: LogoutOptions): Promise<void>;
  getState(): AuthState;
  /** Calls `listener` now and on every change (a BehaviorSubject); returns the unsubscribe function. */
  subscribe(listener: AuthStateListener): () => void;
  /** Stops listening to other tabs and drops every listener. */
  close(): void;
}

/** Creates the client; options are checked (bad ones throw `TypeError`) and frozen. Nothing is fetched yet. */
export function createClient(options: ClientOptions): WardenClient {
  return new BrowserClient(resolveClientOptions(options));
}

/** Errors from the idp that end the session a refresh token belonged to. */
const SESSION_ENDED: ReadonlySet<string> = new Set([
  'invalid_grant',
  'invalid_client',
  'unauthorized_client',
]);
/** Answers to `prompt=none` that mean "no usable idp session", not a failure. */
const NEEDS_INTERACTION: ReadonlySet<string> = new Set([
  'login_required',
  'consent_required',
  'interaction_required',
  'account_selection_required',
]);
const PROMPTS: ReadonlySet<string> = new Set(['none', 'login', 'consent', 'select_account']);
const CALLBACK_PARAMS = ['code', 'state', 'iss', 'error', 'error_description', 'error_uri', 'session_state'];
/** How long a tab without tokens waits for another tab to offer its own. */
const PEER_TIMEOUT_MS = 100;

const loginRequired = (description: string, cause?: unknown) =>
  new OAuthError('login_required', description, { status: 401, ...(cause !== undefined && { cause }) });

class BrowserClient implements WardenClient {
  readonly #config: ClientConfig;
  readonly #store = new AuthStateStore();
  readonly #cache: TokenCache;
  readonly #sync: TabSync;
  readonly #callbacks = new Map<string, Promise<{ returnTo: string }>>();
  readonly #silentKey: string;
  readonly #logoutKey: string;
  #tokens: TokenSet | undefined;
  #user: User | undefined;
  #error: Error | undefined;
  #loading = true;
  #metadata: Promise<ProviderMetadata> | undefined;
  #verifier: Promise<IdTokenVerifier> | undefined;
  #refreshing: Promise<TokenSet> | undefined;
  #peerWaiter: (() => void) | undefined;
  /** Token sets received before this time (a logout here) are not taken from other tabs. */
  #signedOutAt = 0;

  constructor(config: ClientConfig) {
    this.#config = config;
    const name = `warden:${config.clientId}`;
    this.#silentKey = `${name}:silent`;
    this.#logoutKey = `${name}:logout`;
    this.#cache = createTokenCache(config.cacheLocation, config.window, `${name}:tokens`);
    this.#sync = new TabSync(config.window, name, (message) => this.#receive(message));
    const stored = this.#cache.read();
    if (stored) this.#adopt(stored);
  }

  get #window() {
    return this.#config.window;
  }

  get #session() {
    return this.#config.window.sessionStorage;
  }

  // ---- lifecycle ----------------------------------------------------------------------------

  async start(): Promise<StartResult> {
    try {
      this.#finishLogoutReturn();
      const href = this.#window.location.href;
      if (this.#isPendingCallback(href)) {
        const { returnTo } = await this.handleRedirectCallback(href);
        return { outcome: 'callback', returnTo };
      }
      if (await this.#restore()) {
        this.#publish({ loading: false });
        return { outcome: 'restored' };
      }
      if (this.#config.silentLogin && (await this.loginSilently())) return { outcome: 'redirecting' };
      this.#publish({ loading: false });
      return { outcome: 'signed-out' };
    } catch (caught) {
      const error = toError(caught);
      this.#publish({ loading: false, error });
      return { outcome: 'error', error };
    }
  }

  close(): void {
    this.#sync.close();
    this.#store.clear();
  }

  getState(): AuthState {
    return this.#store.get();
  }

  subscribe(listener: AuthStateListener): () => void {
    return this.#store.subscribe(listener);
  }

  // ---- sign-in ------------------------------------------------------------------------------

  async login(options: LoginOptions = {}): Promise<void> {
    if (options.prompt !== undefined && !PROMPTS.has(options.prompt)) {
      throw new TypeError('options.prompt must be "none", "login", "consent" or "select_account"');
    }
    if (options.loginHint !== undefined && typeof options.loginHint !== 'string') {
      throw new TypeError('options.loginHint must be a string');
    }
    await this.#redirectToAuthorize(options, false);
  }

  async loginSilently(options: Pick<LoginOptions, 'returnTo'> = {}): Promise<boolean> {
    if (this.#session.getItem(this.#silentKey) !== null) return false;
    await this.#redirectToAuthorize({ ...options, prompt: 'none' }, true);
    return true;
  }

  async #redirectToAuthorize(options: LoginOptions, silent: boolean): Promise<void> {
    const returnTo = this.#resolveReturnTo(options.returnTo);
    const metadata = await this.#discover();
    const state = randomToken();
    const nonce = randomToken();
    const codeVerifier = createCodeVerifier();
    const now = this.#config.clock();
    pruneTransactions(this.#session, now);
    saveTransaction(this.#session, state, { codeVerifier, nonce, returnTo, silent, createdAt: now });
    const url = new URL(metadata.authorization_endpoint);
    const params: Record<string, string | undefined> = {
      response_type: 'code',
      client_id: this.#config.clientId,
      redirect_uri: this.#config.redirectUri,
      scope: this.#config.scope,
      audience: this.#config.audience,
      state,
      nonce,
      code_challenge: await computeCodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      prompt: options.prompt,
      login_hint: options.loginHint,
    };
    for (const [name, value] of Object.entries(params))
      if (value !== undefined) url.searchParams.set(name, value);
    // Remembered before leaving: whatever comes back, this tab does not try again until a sign-in succeeds.
    if (silent) this.#session.setItem(this.#silentKey, String(now));
    this.#publish({ loading: true });
    this.#window.location.assign(url.toString());
  }

  handleRedirectCallback(url?: string): Promise<{ returnTo: string }> {
    const href = url ?? this.#window.location.href;
    let pending = this.#callbacks.get(href);
    if (!pending) {
      pending = this.#completeCallback(href);
      this.#callbacks.set(href, pending);
    }
    return pending;
  }

  async #completeCallback(href: string): Promise<{ returnTo: string }> {
    this.#publish({ loading: true });
    try {
      const params = new URL(href).searchParams;
      this.#cleanAddressBar(href, CALLBACK_PARAMS);
      const state = params.get('state');
      const transaction = state === null ? undefined : takeTransaction(this.#session, state);
      if (!transaction)
        throw new OAuthError('invalid_request', 'the state does not match a sign-in started in this tab');
      const metadata = await this.#discover();
      this.#checkIssuerParameter(params.get('iss'), metadata);
      const error = params.get('error');
      if (error !== null) {
        if (transaction.silent && NEEDS_INTERACTION.has(error)) {
          this.#publish({ loading: false, error: undefined });
          return { returnTo: transaction.returnTo };
        }
        throw toIdpError(error, params.get('error_description'));
      }
      const code = params.get('code');
      if (code === null) throw new OAuthError('invalid_request', 'the callback has neither code nor error');
      const response = await requestTokens(this.#config.fetch, metadata.token_endpoint, {
        grant_type: 'authorization_code',
        code,
        redirect_uri: this.#config.redirectUri,
        code_verifier: transaction.codeVerifier,
        client_id: this.#config.clientId,
      });
      const tokens = await this.#acceptTokens(response, { nonce: transaction.nonce });
      this.#session.removeItem(this.#silentKey);
      this.#setTokens(tokens);
      this.#publish({ loading: false, error: undefined });
      return { returnTo: transaction.returnTo };
    } catch (caught) {
      this.#publish({ loading: false, error: toError(caught) });
      throw caught;
    }
  }

  /** RFC 9207: `iss` must equal the issuer; it must be present when the idp says it sends it. */
  #checkIssuerParameter(iss: string | null, metadata: ProviderMetadata): void {
    if (iss === null) {
      if (metadata.authorization_response_iss_parameter_supported === true) {
        throw new OAuthError('invalid_request', 'the authorization response has no iss');
      }
      return;
    }
    if (iss !== this.#config.issuer) {
      throw new OAuthError('invalid_request', 'the authorization response comes from another issuer');
    }
  }

  #isPendingCallback(href: string): boolean {
    const url = new URL(href);
    const callback = new URL(this.#config.redirectUri);
    const state = url.searchParams.get('state');
    return (
      url.origin === callback.origin &&
      url.pathname === callback.pathname &&
      state !== null &&
      (url.searchParams.has('code') || url.searchParams.has('error')) &&
      hasTransaction(this.#session, state)
    );
  }

  /** Back from the idp's logout with our `state`: forget it and clean the address bar. */
  #finishLogoutReturn(): void {
    const expected = this.#session.getItem(this.#logoutKey);
    if (expected === null) return;
    const href = this.#window.location.href;
    if (new URL(href).searchParams.get('state') !== expected) return;
    this.#session.removeItem(this.#logoutKey);
    this.#cleanAddressBar(href, ['state']);
  }

  #resolveReturnTo(returnTo: string | undefined): string {
    const here = new URL(this.#window.location.href);
    if (returnTo !== undefined && typeof returnTo !== 'string')
      throw new TypeError('options.returnTo must be a string');
    const url = returnTo === undefined ? here : new URL(returnTo, here);
    if (url.origin !== here.origin) throw new TypeError('options.returnTo must be on this origin');
    return `${url.pathname}${url.search}${url.hash}`;
  }

  // ---- tokens -------------------------------------------------------------------------------

  async getAccessToken(options: GetAccessTokenOptions = {}): Promise<string> {
    const tokens = this.#current();
    if (!tokens) throw loginRequired('no user is signed in');
    if (!options.forceRefresh && this.#isFresh(tokens)) return tokens.accessToken;
    if (!tokens.refreshToken) {
      if (!options.forceRefresh && tokens.expiresAt > this.#config.clock()) return tokens.accessToken;
      this.#endLocalSession();
      throw loginRequired('the access token has expired and there is no refresh token');
    }
    return (await this.#refresh(tokens.accessToken)).accessToken;
  }

  /** Fresh: more than the refresh margin (at most half the token's lifetime) before expiry. */
  #isFresh(tokens: TokenSet): boolean {
    const margin = Math.min(this.#config.refreshMargin * 1000, (tokens.expiresAt - tokens.receivedAt) / 2);
    return this.#config.clock() < tokens.expiresAt - margin;
  }

  /** One refresh at a time in this tab, and under the cross-tab lock. */
  #refresh(used: string): Promise<TokenSet> {
    this.#refreshing ??= this.#sync
      .withLock(async (waited) => {
        // Another tab refreshed first: make sure its token set has arrived before deciding.
        if (waited) await this.#askOtherTabs();
        return this.#refreshUnderLock(used);
      })
      .finally(() => {
        this.#refreshing = undefined;
      });
    return this.#refreshing;
  }

  async #refreshUnderLock(used: string): Promise<TokenSet> {
    const latest = this.#current();
    if (!latest) throw loginRequired('no user is signed in');
    // Another tab refreshed while this one waited for the lock: take its result.
    if (latest.accessToken !== used && this.#isFresh(latest)) return latest;
    if (!latest.refreshToken) throw loginRequired('there is no refresh token');
    const metadata = await this.#discover();
    let response: TokenResponse;
    try {
      response = await requestTokens(this.#config.fetch, metadata.token_endpoint, {
        grant_type: 'refresh_token',
        refresh_token: latest.refreshToken,
        client_id: this.#config.clientId,
      });
    } catch (error) {
      if (isOAuthError(error) && SESSION_ENDED.has(error.error)) {
        const ended = loginRequired('the session has ended; sign in again', error);
        this.#endLocalSession(ended);
        throw ended;
      }
      throw error;
    }
    const tokens = await this.#acceptTokens(response, { previous: latest });
    this.#setTokens(tokens);
    return tokens;
  }

  /** Builds a token set from a token response, verifying its id_token (required unless refreshing). */
  async #acceptTokens(
    response: TokenResponse,
    context: { nonce?: string; previous?: TokenSet },
  ): Promise<TokenSet> {
    const now = this.#config.clock();
    const { previous } = context;
    let claims = previous?.claims;
    if (response.id_token !== undefined) {
      const verifier = await this.#idTokenVerifier();
      claims = await verifier.verify(response.id_token, {
        now,
        accessToken: response.access_token,
        ...(context.nonce !== undefined && { nonce: context.nonce }),
        ...(previous && { subject: previous.claims.sub }),
      });
    }
    const idToken = response.id_token ?? previous?.idToken;
    if (!claims || idToken === undefined)
      throw new OAuthError('invalid_token', 'the token response has no id_token');
    const refreshToken = this.#config.useRefreshTokens
      ? (response.refresh_token ?? previous?.refreshToken)
      : undefined;
    return {
      accessToken: response.access_token,
      receivedAt: now,
      expiresAt: now + response.expires_in * 1000,
      scope: response.scope ?? previous?.scope ?? this.#config.scope,
      idToken,
      ...(refreshToken !== undefined && { refreshToken }),
      claims,
    };
  }

  /** The token set in use. With localStorage, re-read each time: another tab may have changed it. */
  #current(): TokenSet | undefined {
    if (this.#cache.shared) {
      const stored = this.#cache.read();
      if (stored?.accessToken !== this.#tokens?.accessToken) this.#adopt(stored);
    }
    return this.#tokens;
  }

  /** Keeps a new token set here, in the cache, and in every other tab. */
  #setTokens(tokens: TokenSet): void {
    this.#adopt(tokens);
    this.#cache.write(tokens);
    this.#sync.post({ type: 'tokens', tokens });
  }

  /** Takes `tokens` as this tab's own (or forgets them) and updates the state. */
  #adopt(tokens: TokenSet | undefined): void {
    if (tokens?.idToken !== this.#tokens?.idToken) this.#user = tokens ? toUser(tokens.claims) : undefined;
    this.#tokens = tokens;
    this.#publish({});
  }

  /** Forgets this tab's tokens (and the stored copy), keeping the other tabs as they are. */
  #endLocalSession(error?: Error): void {
    this.#cache.clear();
    this.#adopt(undefined);
    if (error) this.#publish({ error });
  }

  async #restore(): Promise<boolean> {
    if (!this.#current()) await this.#askOtherTabs();
    if (!this.#current()) return false;
    try {
      await this.getAccessToken();
      return true;
    } catch (error) {
      if (isOAuthError(error) && error.error === 'login_required') return false;
      throw error;
    }
  }

  /** Asks the other tabs for their token set and waits briefly for one to answer. */
  #askOtherTabs(): Promise<void> {
    if (!this.#sync.connected) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#peerWaiter = undefined;
        resolve();
      };
      const timer = setTimeout(done, PEER_TIMEOUT_MS);
      this.#peerWaiter = done;
      this.#sync.post({ type: 'request' });
    });
  }

  #receive(message: TabMessage): void {
    if (message.type === 'request') {
      const tokens = this.#current();
      if (tokens) this.#sync.post({ type: 'tokens', tokens });
    } else if (message.type === 'tokens') {
      // A late message must not bring back an older set (its refresh token may be spent).
      const newest = this.#tokens?.receivedAt ?? this.#signedOutAt;
      if (message.tokens.receivedAt < newest) return;
      this.#adopt(message.tokens);
      if (!this.#cache.shared) this.#cache.write(message.tokens);
      this.#session.removeItem(this.#silentKey);
      this.#publish({ error: undefined });
      this.#peerWaiter?.();
    } else {
      this.#forgetAfterLogout();
    }
  }

  // ---- API calls ----------------------------------------------------------------------------

  async fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    const target = input instanceof Request ? input : new URL(String(input), this.#window.location.href);
    const request = new Request(target, init);
    if (!this.#config.apiOrigins.has(new URL(request.url).origin)) return this.#config.fetch(request);
    const token = await this.getAccessToken();
    let response = await this.#config.fetch(withBearer(request.clone(), token));
    if (response.status === 401) {
      const renewed = await this.#renewAfterRejection(token);
      if (renewed !== undefined) response = await this.#config.fetch(withBearer(request.clone(), renewed));
      if (response.status === 401) {
        const error = apiError(response);
        this.#endLocalSession(error);
        throw error;
      }
    }
    if (response.status === 403) throw apiError(response);
    return response;
  }

  /** A token other than the refused one: renewed, or one another tab already got. Undefined when none can be had. */
  async #renewAfterRejection(refused: string): Promise<string | undefined> {
    const latest = this.#current();
    if (!latest?.refreshToken)
      return latest && latest.accessToken !== refused ? latest.accessToken : undefined;
    try {
      const tokens = await this.#refresh(refused);
      return tokens.accessToken === refused ? undefined : tokens.accessToken;
    } catch (error) {
      if (isOAuthError(error) && error.error === 'login_required') return undefined;
      throw error;
    }
  }

  // ---- sign-out -----------------------------------------------------------------------------

  async logout(options: LogoutOptions = {}): Promise<void> {
    const returnTo = options.returnTo ?? this.#config.postLogoutRedirectUri;
    if (!isAbsoluteUrl(returnTo)) throw new TypeError('options.returnTo must be an absolute URL');
    const tokens = this.#current();
    this.#forgetAfterLogout();
    this.#sync.post({ type: 'logout' });
    const metadata = await this.#discover().catch(() => undefined);
    const endpoint = metadata?.revocation_endpoint;
    if (endpoint && tokens) {
      // Both tokens: the idp's logout revokes what its session issued, but that session may
      // already have ended (idle timeout) while this tab still held live tokens.
      await Promise.all([
        tokens.refreshToken ? this.#revoke(endpoint, tokens.refreshToken, 'refresh_token') : undefined,
        this.#revoke(endpoint, tokens.accessToken, 'access_token'),
      ]);
    }
    if (!metadata?.end_session_endpoint) {
      this.#window.location.assign(returnTo);
      return;
    }
    const state = randomToken(16);
    this.#session.setItem(this.#logoutKey, state);
    const url = new URL(metadata.end_session_endpoint);
    url.searchParams.set('client_id', this.#config.clientId);
    if (tokens) url.searchParams.set('id_token_hint', tokens.idToken);
    url.searchParams.set('post_logout_redirect_uri', returnTo);
    url.searchParams.set('state', state);
    this.#window.location.assign(url.toString());
  }

  /** Signed out here: no tokens, and no silent sign-in attempt from this tab (the idp session is gone). */
  #forgetAfterLogout(): void {
    this.#signedOutAt = this.#config.clock();
    this.#endLocalSession();
    this.#session.setItem(this.#silentKey, String(this.#config.clock()));
    this.#publish({ loading: false, error: undefined });
  }

  /**
   * RFC 7009 revocation: a refresh token ends its family, an access token goes on the idp's
   * revocation feed that APIs follow. Failures are ignored (best effort before leaving the page).
   */
  async #revoke(endpoint: string, token: string, hint: 'refresh_token' | 'access_token'): Promise<void> {
    try {
      await this.#config.fetch(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          token,
          token_type_hint: hint,
          client_id: this.#config.clientId,
        }).toString(),
        credentials: 'omit',
        keepalive: true,
      });
    } catch {
      // best effort
    }
  }

  // ---- plumbing -----------------------------------------------------------------------------

  /** The idp's metadata, fetched once; a failed fetch is retried on the next call. */
  #discover(): Promise<ProviderMetadata> {
    if (!this.#metadata) {
      this.#metadata = fetchMetadata(this.#config.issuer, this.#config.fetch);
      this.#metadata.catch(() => {
        this.#metadata = undefined;
      });
    }
    return this.#metadata;
  }

  /** The id_token verifier, loaded on first use (it carries the JOSE code). */
  #idTokenVerifier(): Promise<IdTokenVerifier> {
    this.#verifier ??= (async () => {
      const [{ createIdTokenVerifier }, metadata] = await Promise.all([
        import('./id-token-verifier.js'),
        this.#discover(),
      ]);
      const algorithms = metadata.id_token_signing_alg_values_supported;
      return createIdTokenVerifier({
        issuer: this.#config.issuer,
        clientId: this.#config.clientId,
        leeway: this.#config.leeway,
        ...(Array.isArray(algorithms) && { algorithms }),
        fetchJwks: () => this.#fetchJwks(metadata.jwks_uri),
      });
    })();
    this.#verifier.catch(() => {
      this.#verifier = undefined;
    });
    return this.#verifier;
  }

  async #fetchJwks(uri: string): Promise<unknown> {
    let response: Response;
    try {
      response = await this.#config.fetch(uri, {
        headers: { accept: 'application/json' },
        credentials: 'omit',
      });
    } catch (cause) {
      throw unreachable('the JWKS', cause);
    }
    if (!response.ok) throw new OAuthError('server_error', `the JWKS answered ${response.status}`);
    return response.json();
  }

  /** Removes `names` from the address bar when it shows the page `href` names. */
  #cleanAddressBar(href: string, names: readonly string[]): void {
    const current = new URL(this.#window.location.href);
    const target = new URL(href);
    if (current.origin !== target.origin || current.pathname !== target.pathname) return;
    let changed = false;
    for (const name of names) {
      if (current.searchParams.has(name)) {
        current.searchParams.delete(name);
        changed = true;
      }
    }
    if (changed) {
      const { history } = this.#window;
      history.replaceState(history.state, '', `${current.pathname}${current.search}${current.hash}`);
    }
  }

  #publish(change: { loading?: boolean; error?: Error | undefined }): void {
    if (change.loading !== undefined) this.#loading = change.loading;
    if ('error' in change) this.#error = change.error;
    this.#store.set({
      isLoading: this.#loading,
      isAuthenticated: this.#tokens !== undefined,
      user: this.#user,
      error: this.#error,
    });
  }
}

function withBearer(request: Request, token: string): Request {
  const headers = new Headers(request.headers);
  headers.set('authorization', `Bearer ${token}`);
  return new Request(request, { headers });
}

function toIdpError(code: string, description: string | null): OAuthError {
  return toOAuthError(code, description ?? `the identity provider answered ${code}`);
}

function isAbsoluteUrl(value: unknown): value is string {
  try {
    return typeof value === 'string' && new URL(value).href !== '';
  } catch {
    return false;
  }
}

function toError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}
