import { encodeBase64Url, OAuthError } from '@warden/protocol';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Tab, World } from './world.js';

let world: World;
beforeAll(async () => {
  world = await World.start();
});
afterAll(() => world.close());
beforeEach(() => {
  world.rewrite = (_, response) => response;
});

/** Signs in at the idp for `tab` and leaves the callback URL in its address bar, not yet handled. */
async function arriveAtCallback(tab: Tab): Promise<URL> {
  await tab.client.login();
  return new URL(await world.returnFromIdp(tab));
}

function expectSignedOutWith(tab: Tab, code: string): void {
  const state = tab.client.getState();
  expect(state.isAuthenticated).toBe(false);
  expect(state.isLoading).toBe(false);
  expect(state.error).toBeInstanceOf(OAuthError);
  expect((state.error as OAuthError).error).toBe(code);
}

/** Rewrites the id_token of the next code exchange. */
function tamperIdToken(change: (idToken: string) => string): void {
  world.rewrite = async (request, response) => {
    if (request.form?.get('grant_type') !== 'authorization_code') return response;
    const body = (await response.json()) as Record<string, string>;
    return Response.json({ ...body, id_token: change(body.id_token!) }, { headers: response.headers });
  };
}

function editPayload(idToken: string, edit: (payload: Record<string, unknown>) => void): string {
  const [header, payload, signature] = idToken.split('.');
  const claims = JSON.parse(new TextDecoder().decode(Buffer.from(payload!, 'base64url'))) as Record<
    string,
    unknown
  >;
  edit(claims);
  return `${header}.${encodeBase64Url(JSON.stringify(claims))}.${signature}`;
}

describe('handleRedirectCallback refuses', () => {
  it('a state this tab did not send, without exchanging the code', async () => {
    const tab = world.openTab();
    const callback = await arriveAtCallback(tab);
    callback.searchParams.set('state', 'forged-state-forged-state-forged-state-xyz');
    const exchanges = world.grants('authorization_code').length;

    await expect(tab.client.handleRedirectCallback(callback.href)).rejects.toMatchObject({
      error: 'invalid_request',
    });
    expect(world.grants('authorization_code')).toHaveLength(exchanges);
    expectSignedOutWith(tab, 'invalid_request');
  });

  it('a state that was already used (the callback replayed in the same tab)', async () => {
    const tab = world.openTab();
    const callback = await arriveAtCallback(tab);
    await tab.client.handleRedirectCallback(callback.href);
    const other = world.openTab({}, { href: callback.href, sessionStorage: tab.win.sessionStorage });
    await expect(other.client.handleRedirectCallback()).rejects.toMatchObject({ error: 'invalid_request' });
  });

  it('a callback from another issuer (RFC 9207 mix-up defence)', async () => {
    const tab = world.openTab();
    const callback = await arriveAtCallback(tab);
    callback.searchParams.set('iss', 'https://evil.example/');
    const exchanges = world.grants('authorization_code').length;

    await expect(tab.client.handleRedirectCallback(callback.href)).rejects.toMatchObject({
      error: 'invalid_request',
      description: expect.stringContaining('issuer'),
    });
    expect(world.grants('authorization_code')).toHaveLength(exchanges);
  });

  it('a callback without iss from an idp that promises to send it', async () => {
    const tab = world.openTab();
    const callback = await arriveAtCallback(tab);
    callback.searchParams.delete('iss');
    await expect(tab.client.handleRedirectCallback(callback.href)).rejects.toMatchObject({
      error: 'invalid_request',
    });
  });

  it('an id_token whose nonce is not the one this sign-in sent', async () => {
    const tab = world.openTab();
    await tab.client.login();
    const key = tab.win.sessionStorage.keys().find((k) => k.startsWith('warden.tx.'))!;
    const transaction = JSON.parse(tab.win.sessionStorage.getItem(key)!) as { nonce: string };
    tab.win.sessionStorage.setItem(key, JSON.stringify({ ...transaction, nonce: 'a-different-nonce' }));
    await world.returnFromIdp(tab);

    await expect(tab.client.handleRedirectCallback()).rejects.toMatchObject({
      error: 'invalid_token',
      description: expect.stringContaining('nonce'),
    });
    expectSignedOutWith(tab, 'invalid_token');
  });

  it('an id_token whose claims were changed after signing', async () => {
    tamperIdToken((idToken) =>
      editPayload(idToken, (claims) => {
        claims.email = 'admin@example.com';
      }),
    );
    const tab = world.openTab();
    await arriveAtCallback(tab);
    await expect(tab.client.handleRedirectCallback()).rejects.toMatchObject({
      error: 'invalid_token',
      description: 'invalid signature',
    });
    expectSignedOutWith(tab, 'invalid_token');
    await expect(tab.client.getAccessToken()).rejects.toMatchObject({ error: 'login_required' });
  });

  it('an id_token with alg none', async () => {
    tamperIdToken((idToken) => {
      const [, payload] = idToken.split('.');
      return `${encodeBase64Url(JSON.stringify({ alg: 'none', typ: 'JWT' }))}.${payload}.`;
    });
    const tab = world.openTab();
    await arriveAtCallback(tab);
    await expect(tab.client.handleRedirectCallback()).rejects.toMatchObject({ error: 'invalid_token' });
  });

  it('a token response whose id_token is the access token (wrong typ and audience)', async () => {
    world.rewrite = async (request, response) => {
      if (request.form?.get('grant_type') !== 'authorization_code') return response;
      const body = (await response.json()) as Record<string, string>;
      return Response.json({ ...body, id_token: body.access_token }, { headers: response.headers });
    };
    const tab = world.openTab();
    await arriveAtCallback(tab);
    await expect(tab.client.handleRedirectCallback()).rejects.toMatchObject({ error: 'invalid_token' });
  });

  it('a token response without id_token', async () => {
    world.rewrite = async (request, response) => {
      if (request.form?.get('grant_type') !== 'authorization_code') return response;
      const { id_token: _, ...body } = (await response.json()) as Record<string, string>;
      return Response.json(body, { headers: response.headers });
    };
    const tab = world.openTab();
    await arriveAtCallback(tab);
    await expect(tab.client.handleRedirectCallback()).rejects.toMatchObject({ error: 'invalid_token' });
  });
});

describe('handleRedirectCallback reports', () => {
  it("the idp's error as an OAuthError with its code and description, and cleans the address bar", async () => {
    const tab = world.openTab();
    await tab.client.login();
    const state = new URL(tab.win.lastNavigation()).searchParams.get('state')!;
    tab.win.location.href = `http://localhost:4200/callback?${new URLSearchParams({
      error: 'access_denied',
      error_description: 'the user said no',
      state,
      iss: world.t.issuer,
    })}`;

    const error = await tab.client.handleRedirectCallback().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OAuthError);
    expect(error).toMatchObject({ error: 'access_denied', description: 'the user said no' });
    expect(tab.win.location.href).toBe('http://localhost:4200/callback');
    expectSignedOutWith(tab, 'access_denied');
  });

  it('login_required after an interactive sign-in as an error (only silent attempts read it as signed out)', async () => {
    world.forgetIdpSession();
    const tab = world.openTab();
    await tab.client.login({ prompt: 'none' });
    const callback = await world.visitAuthorize(tab.win.lastNavigation());
    tab.win.location.href = callback;
    await expect(tab.client.handleRedirectCallback()).rejects.toMatchObject({ error: 'login_required' });
  });

  it('the same result to a second call for the same URL (one exchange)', async () => {
    const tab = world.openTab();
    const callback = await arriveAtCallback(tab);
    const exchanges = world.grants('authorization_code').length;
    const [first, second] = await Promise.all([
      tab.client.handleRedirectCallback(callback.href),
      tab.client.handleRedirectCallback(callback.href),
    ]);
    expect(second).toEqual(first);
    expect(world.grants('authorization_code')).toHaveLength(exchanges + 1);
  });
});
