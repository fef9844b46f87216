import { DOCUMENT } from '@angular/common';
import { computed, DestroyRef, inject, signal } from '@angular/core';
import {
  type AuthState,
  type BffClient,
  type GetAccessTokenOptions,
  type LoginOptions,
  type LogoutOptions,
  OAuthError,
  type StartResult,
  type User,
  type WardenClient,
} from '@warden/browser';
import { Observable } from 'rxjs';
import { accessFromBff, accessFromToken, type WardenAccess } from './warden-access.js';
import { WARDEN_CLIENT, WARDEN_CONFIG } from './warden-config.js';

/** Never settles: the page is on its way to the idp. */
const navigatingAway = <T>() => new Promise<T>(() => {});

const CALLBACK_PARAMS = ['code', 'error'];

/**
 * The auth state of the app as signals and an observable, over the one `WardenClient` that
 * `provideWarden` creates (inject it; it is provided by `provideWarden`, not in root).
 */
export class AuthService {
  readonly #client = inject(WARDEN_CLIENT);
  readonly #redirectUri = callbackOf(inject(WARDEN_CONFIG, { optional: true }));
  readonly #document = inject(DOCUMENT, { optional: true });
  readonly #state = signal<AuthState>(this.#client.getState());
  readonly #access = signal<WardenAccess | undefined>(undefined);
  /** Counts state changes, so a token read for an earlier state does not overwrite a later one. */
  #accessRead = 0;
  /** A sign-in or sign-out that failed before leaving the page (the idp unreachable, say). */
  readonly #redirectError = signal<Error | undefined>(undefined);
  #started: Promise<StartResult> | undefined;

  /**
   * `token`: the page holds the tokens (`createClient`); `cookie`: the app's server does
   * (`createBffClient`), and no token ever reaches the page.
   */
  readonly mode: 'token' | 'cookie' = isBffClient(this.#client) ? 'cookie' : 'token';

  /** The whole state: `{ isLoading, isAuthenticated, user, error }`. */
  readonly state = this.#state.asReadonly();
  readonly isAuthenticated = computed(() => this.#state().isAuthenticated);
  /** True until the start (restore, callback or silent sign-in) has settled. */
  readonly isLoading = computed(() => this.#state().isLoading);
  /** The signed-in user's OpenID Connect profile (from the verified id_token). */
  readonly user = computed<User | undefined>(() => this.#state().user);
  /** The last failure (an `OAuthError` for protocol errors); cleared by the next sign-in. */
  readonly error = computed(() => this.#state().error ?? this.#redirectError());
  /**
   * What the signed-in user's access token grants (scope, roles, permissions, expiry), for the
   * page to choose what to show: from the token's claims in token mode (updated whenever
   * `getAccessToken()` hands out a token), from the app server in cookie mode. `undefined` while
   * signed out. Display only: the API decides.
   */
  readonly access = this.#access.asReadonly();
  /** The user's roles (`access().roles`), empty while signed out. */
  readonly roles = computed(() => this.#access()?.roles ?? []);
  /** The state as an observable: the current value on subscribe, then every change (the article's BehaviorSubject). */
  readonly authState$: Observable<AuthState> = new Observable<AuthState>((subscriber) =>
    this.#client.subscribe((state) => subscriber.next(state)),
  );

  constructor() {
    const unsubscribe = this.#client.subscribe((state) => {
      this.#state.set(state);
      this.#readAccess(state);
    });
    inject(DestroyRef).onDestroy(unsubscribe);
  }

  #readAccess(state: AuthState): void {
    const read = ++this.#accessRead;
    if (!state.isAuthenticated) {
      this.#access.set(undefined);
    } else if (isBffClient(this.#client)) {
      this.#access.set(accessFromBff(this.#client.getAccess()));
    } else {
      this.#client.getAccessToken().then(
        (token) => {
          if (read === this.#accessRead) this.#access.set(accessFromToken(token));
        },
        () => undefined,
      );
    }
  }

  /**
   * Starts the client once (`provideWarden` does it while the app boots): finishes a pending
   * callback, restores the session or tries a silent sign-in. Later calls return the same promise.
   * An answer on the callback URL is always taken as one: a sign-in this tab did not start (an
   * unknown `state`) ends in an error, not in a silent sign-in that would hide it.
   */
  start(): Promise<StartResult> {
    if (!this.#started) {
      const url = this.#document?.location?.href;
      this.#started =
        url !== undefined && this.#isCallback(url)
          ? this.#client.handleRedirectCallback(url).then(
              ({ returnTo }): StartResult => ({ outcome: 'callback', returnTo }),
              (error: unknown): StartResult => ({
                outcome: 'error',
                error: error instanceof Error ? error : new Error(String(error)),
              }),
            )
          : this.#client.start();
    }
    return this.#started;
  }

  /** The redirect URI's page with a `code` or an `error`: an authorization response. */
  #isCallback(href: string): boolean {
    if (this.#redirectUri === undefined) return false;
    const url = new URL(href);
    const callback = new URL(this.#redirectUri);
    return (
      url.origin === callback.origin &&
      url.pathname === callback.pathname &&
      CALLBACK_PARAMS.some((name) => url.searchParams.has(name))
    );
  }

  /** The state once the start has settled; never settles while the page redirects to the idp. */
  async whenReady(): Promise<AuthState> {
    const result = await this.start();
    if (result.outcome === 'redirecting') return navigatingAway();
    return this.#client.getState();
  }

  /**
   * Redirects to the idp's sign-in; after the callback the app goes to `returnTo` (default: this
   * page). When the redirect cannot start (the idp's discovery document is unreachable), the
   * promise rejects and `error()` holds the reason until the next attempt.
   */
  login(options?: LoginOptions): Promise<void> {
    return this.#redirect(() => this.#client.login(options));
  }

  /** Signs out in every tab, revokes the refresh token and ends the idp session; failures as for `login`. */
  logout(options?: LogoutOptions): Promise<void> {
    return this.#redirect(() => this.#client.logout(options));
  }

  /**
   * Cookie mode: signs out here and ends the user's sessions in every other browser too (their
   * tokens revoked), then ends the idp session. Rejects with `OAuthError('invalid_request')` in
   * token mode, where the page cannot reach other browsers' sessions.
   */
  logoutEverywhere(): Promise<void> {
    const client = this.#client;
    if (!isBffClient(client)) {
      return Promise.reject(new OAuthError('invalid_request', 'logging out everywhere needs cookie mode'));
    }
    return this.#redirect(() => client.logoutEverywhere());
  }

  async #redirect(go: () => Promise<void>): Promise<void> {
    this.#redirectError.set(undefined);
    try {
      await go();
    } catch (error) {
      this.#redirectError.set(error instanceof Error ? error : new Error(String(error)));
      throw error;
    }
  }

  /**
   * A valid access token (renewed when close to expiry); rejects with `login_required` when signed
   * out, and with `invalid_request` in cookie mode (the token stays on the app's server).
   */
  async getAccessToken(options?: GetAccessTokenOptions): Promise<string> {
    await this.whenReady();
    const token = await this.#client.getAccessToken(options);
    if (this.#client.getState().isAuthenticated) this.#access.set(accessFromToken(token));
    return token;
  }

  /**
   * For the callback route: where to go once the sign-in that brought the browser here has
   * finished (the path the user wanted, or `/` when the page was not a callback). Rejects with
   * the SDK's error (`OAuthError`) when the sign-in failed or the callback is not one this tab
   * started.
   */
  async handleRedirectCallback(): Promise<{ returnTo: string }> {
    const result = await this.start();
    if (result.outcome === 'callback') return { returnTo: result.returnTo };
    if (result.outcome === 'error') throw result.error;
    if (result.outcome === 'redirecting') return navigatingAway();
    return { returnTo: '/' };
  }
}

function isBffClient(client: WardenClient): client is BffClient {
  return (client as Partial<BffClient>).mode === 'cookie';
}

/** The token-mode callback URL; cookie mode has none in the page (the app's server takes it). */
function callbackOf(config: { mode?: string; redirectUri?: string } | null): string | undefined {
  return config?.mode === 'cookie' ? undefined : config?.redirectUri;
}
