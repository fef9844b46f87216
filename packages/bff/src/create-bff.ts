import { toOAuthError } from '@warden/protocol/client';
import { isOAuthError, OAuthError, toOAuthErrorBody } from '@warden/protocol/core';
import { createSealer } from '@warden/protocol/node';
import { createOriginCheck, type SessionRecord } from '@warden/session';
import { Hono } from 'hono';
import { forwardToApi } from './api-proxy.js';
import { type BffApi, type BffConfig, type BffOptions, resolveBffConfig } from './bff-options.js';
import { createIdpClient, type IdpClient } from './idp-client.js';
import {
  beginTransaction,
  clearTransactionCookie,
  readTransaction,
  safeReturnTo,
} from './login-transaction.js';
import {
  type BffSessionData,
  createTokenKeeper,
  describeAccess,
  profileOf,
  readSessionData,
  toStoredTokens,
} from './session-tokens.js';

/** A backend-for-frontend: mount `fetch` (or `app`) on the app's own origin. */
export interface Bff {
  readonly config: BffConfig;
  /** A Hono app with the routes; `app.route('/', bff.app)` mounts it in another Hono app. */
  readonly app: Hono;
  /** A web-standard handler; answers 404 for paths that are not the BFF's. */
  fetch(request: Request): Promise<Response>;
}

const PROMPTS = new Set(['login', 'none']);

/**
 * Creates the backend-for-frontend for one app: the browser signs in through `<basePath>/login`
 * and `/callback` (authorization code + PKCE as a confidential client), holds only an HttpOnly
 * session cookie, reads who it is at `/user`, signs out with `POST /logout`, and calls the
 * configured APIs through this origin, which adds the access token (refreshed here when due).
 *
 * Every unsafe request (logout, session revocation, API writes) must come from `appOrigin`
 * (Fetch-Metadata, else Origin, else Referer; with none it is refused). Throws `TypeError` for a
 * bad option.
 */
export function createBff(options: BffOptions): Bff {
  const config = resolveBffConfig(options);
  const fetch = options.fetch ?? globalThis.fetch;
  const sessions = options.sessions;
  const clock = sessions.clock;
  const sealer = createSealer(options.secret, 'bff login transaction');
  const idp = createIdpClient(config, fetch, clock);
  const keeper = createTokenKeeper(sessions, idp, clock, config.refreshSkew);
  const base = config.basePath;
  const app = new Hono();

  app.onError((error) => {
    if (!isOAuthError(error) || error.status >= 500) options.onError?.(error);
    return errorResponse(isOAuthError(error) ? error : new OAuthError('server_error', 'unexpected error'));
  });

  app.get(`${base}/login`, async (c) => {
    const url = new URL(c.req.url);
    const returnTo = safeReturnTo(url.searchParams.get('returnTo'));
    const prompt = url.searchParams.get('prompt');
    const metadata = await idp.metadata();
    const { transaction, challenge, cookie } = await beginTransaction(config, sealer, returnTo, clock());
    const authorize = new URL(metadata.authorization_endpoint);
    authorize.search = new URLSearchParams({
      response_type: 'code',
      client_id: config.clientId,
      redirect_uri: config.redirectUri,
      scope: config.scope,
      state: transaction.state,
      nonce: transaction.nonce,
      code_challenge: challenge,
      code_challenge_method: 'S256',
      ...(config.audience !== undefined && { audience: config.audience }),
      ...(prompt !== null && PROMPTS.has(prompt) && { prompt }),
    }).toString();
    return redirect(authorize.href, [cookie]);
  });

  app.get(`${base}/callback`, async (c) => {
    const url = new URL(c.req.url);
    const params = url.searchParams;
    const transaction = readTransaction(
      config,
      sealer,
      c.req.header('cookie') ?? null,
      params.get('state') ?? undefined,
      clock(),
    );
    const cookies = [clearTransactionCookie(config)];
    if (!transaction) {
      return backToApp(
        '/',
        new OAuthError('invalid_request', 'the sign-in expired or was started elsewhere; sign in again'),
        cookies,
      );
    }
    const iss = params.get('iss');
    if (iss !== null && iss !== config.issuer) {
      return backToApp(
        transaction.returnTo,
        new OAuthError('invalid_request', 'the answer came from another issuer'),
        cookies,
      );
    }
    const error = params.get('error');
    if (error !== null) {
      return backToApp(transaction.returnTo, toOAuthError(error, params.get('error_description')), cookies);
    }
    const code = params.get('code');
    if (!code)
      return backToApp(
        transaction.returnTo,
        new OAuthError('invalid_request', 'the answer has no code'),
        cookies,
      );
    let exchanged: Awaited<ReturnType<IdpClient['exchangeCode']>>;
    try {
      exchanged = await idp.exchangeCode(code, transaction.verifier, transaction.nonce);
    } catch (failure) {
      if (!isOAuthError(failure) || failure.status >= 500) options.onError?.(failure);
      return backToApp(
        transaction.returnTo,
        isOAuthError(failure) ? failure : new OAuthError('server_error', 'sign-in failed'),
        cookies,
      );
    }
    const previous = sessions.readCookie(c.req.header('cookie'));
    if (previous) await sessions.destroy(previous);
    const data: BffSessionData = {
      tokens: toStoredTokens(exchanged.tokens, clock(), config.refreshSkew),
      user: profileOf(exchanged.claims),
    };
    const issued = await sessions.create(exchanged.claims.sub, data);
    for (const evicted of issued.evicted) await revokeTokensOf(evicted);
    return redirect(new URL(transaction.returnTo, config.appOrigin).href, [...cookies, issued.cookie]);
  });

  app.get(`${base}/user`, async (c) => {
    const session = await loadSession(c.req.raw);
    if (!session) return json({ isAuthenticated: false });
    return json({
      isAuthenticated: true,
      user: session.data.user,
      access: describeAccess(session.data.tokens),
    });
  });

  app.post(`${base}/logout`, async (c) => {
    checkOrigin(c.req.raw);
    const everywhere = await wantsEverywhere(c.req.raw);
    const session = await loadSession(c.req.raw);
    const metadata = await idp.metadata().catch(() => undefined);
    let logoutUrl = `${config.appOrigin}/`;
    if (session) {
      if (everywhere) {
        for (const other of await sessions.listForUser(session.record.userId)) {
          if (other.idHash !== session.record.idHash) await revokeTokensOf(other);
        }
        await sessions.destroyAllForUser(session.record.userId);
      }
      await revokeTokensOf(session.record);
      if (metadata?.end_session_endpoint) {
        const end = new URL(metadata.end_session_endpoint);
        end.search = new URLSearchParams({
          client_id: config.clientId,
          post_logout_redirect_uri: `${config.appOrigin}/`,
          ...(session.data.tokens.idToken && { id_token_hint: session.data.tokens.idToken }),
          // Warden's idp then ends the user's sign-in on every device too (other idps ignore it).
          ...(everywhere && { everywhere: 'true' }),
        }).toString();
        logoutUrl = end.href;
      }
    }
    const cleared = await sessions.destroy(session?.id);
    if (isFormPost(c.req.raw)) return redirect(logoutUrl, [cleared], 303);
    return json({ logoutUrl }, 200, [cleared]);
  });

  app.get(`${base}/sessions`, async (c) => {
    const session = await requireSession(c.req.raw);
    const list = await sessions.listForUser(session.record.userId);
    return json({
      sessions: list.map((record) => ({
        sid: record.sid,
        createdAt: Math.floor(record.createdAt / 1000),
        lastSeenAt: Math.floor(record.lastSeenAt / 1000),
        current: record.idHash === session.record.idHash,
      })),
    });
  });

  app.delete(`${base}/sessions`, async (c) => {
    checkOrigin(c.req.raw);
    const session = await requireSession(c.req.raw);
    const others = (await sessions.listForUser(session.record.userId)).filter(
      (record) => record.idHash !== session.record.idHash,
    );
    for (const record of others) await revokeTokensOf(record);
    const ended = (await sessions.destroyOthers(session.id)) ?? 0;
    return json({ ended });
  });

  app.delete(`${base}/sessions/:sid`, async (c) => {
    checkOrigin(c.req.raw);
    const session = await requireSession(c.req.raw);
    const sid = c.req.param('sid');
    const target = (await sessions.listForUser(session.record.userId)).find((record) => record.sid === sid);
    if (!target) throw new OAuthError('invalid_request', 'no such session', { status: 404 });
    await revokeTokensOf(target);
    await sessions.destroyBySid(session.record.userId, sid);
    return new Response(null, { status: 204, headers: { 'cache-control': 'no-store' } });
  });

  for (const api of config.apis) {
    app.all(`${api.prefix}*`, (c) => forward(c.req.raw, api));
  }

  async function forward(request: Request, api: BffApi): Promise<Response> {
    checkOrigin(request);
    const session = await requireSession(request);
    const token = await keeper.accessToken(session.id, session.record, session.data);
    return forwardToApi(request, api, token, { fetch });
  }

  interface LoadedSession {
    id: string;
    record: SessionRecord;
    data: BffSessionData;
  }

  async function loadSession(request: Request): Promise<LoadedSession | undefined> {
    const id = sessions.readCookie(request.headers.get('cookie'));
    if (!id) return undefined;
    const record = await sessions.load(id);
    const data = record && readSessionData(record);
    return record && data ? { id, record, data } : undefined;
  }

  async function requireSession(request: Request): Promise<LoadedSession> {
    const session = await loadSession(request);
    if (!session) throw new OAuthError('login_required', 'sign in first', { status: 401 });
    return session;
  }

  async function revokeTokensOf(record: SessionRecord): Promise<void> {
    const data = readSessionData(record);
    if (!data) return;
    if (data.tokens.refreshToken) await idp.revoke(data.tokens.refreshToken, 'refresh_token');
    await idp.revoke(data.tokens.accessToken, 'access_token');
  }

  const fromApp = createOriginCheck([config.appOrigin]);
  function checkOrigin(request: Request): void {
    const verdict = fromApp(request.method, request.headers);
    if (!verdict.ok)
      throw new OAuthError('invalid_request', `cross-site request refused (${verdict.reason})`, {
        status: 403,
      });
  }

  function backToApp(returnTo: string, error: OAuthError, cookies: string[]): Response {
    const target = new URL(returnTo, config.appOrigin);
    const body = toOAuthErrorBody(error);
    target.searchParams.set('error', body.error);
    target.searchParams.set('error_description', body.error_description);
    return redirect(target.href, cookies);
  }

  return {
    config,
    app,
    fetch: async (request) => app.fetch(request),
  };
}

async function wantsEverywhere(request: Request): Promise<boolean> {
  const url = new URL(request.url);
  if (url.searchParams.get('everywhere') === 'true') return true;
  const type = request.headers.get('content-type') ?? '';
  try {
    if (type.startsWith('application/x-www-form-urlencoded')) {
      return new URLSearchParams(await request.clone().text()).get('everywhere') === 'true';
    }
    if (type.startsWith('application/json')) {
      return ((await request.clone().json()) as { everywhere?: unknown })?.everywhere === true;
    }
  } catch {
    throw new OAuthError('invalid_request', 'the body is malformed');
  }
  return false;
}

function isFormPost(request: Request): boolean {
  return (request.headers.get('content-type') ?? '').startsWith('application/x-www-form-urlencoded');
}

function redirect(location: string, cookies: string[], status = 302): Response {
  const headers = new Headers({ location, 'cache-control': 'no-store' });
  for (const cookie of cookies) headers.append('set-cookie', cookie);
  return new Response(null, { status, headers });
}

function json(body: unknown, status = 200, cookies: string[] = []): Response {
  const headers = new Headers({ 'content-type': 'application/json', 'cache-control': 'no-store' });
  for (const cookie of cookies) headers.append('set-cookie', cookie);
  return new Response(JSON.stringify(body), { status, headers });
}

function errorResponse(error: OAuthError): Response {
  return json(toOAuthErrorBody(error), error.status);
}
