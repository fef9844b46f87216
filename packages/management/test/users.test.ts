import { describe, expect, it } from 'vitest';
import { lastLogId, onlyLog } from '../../server/test/audit-helpers.js';
import {
  apiId,
  authorizeUrl,
  Browser,
  htmlText,
  password,
  pkce,
  spaCallback,
} from '../../server/test/harness.js';
import {
  exchangeCode,
  expectOAuthError,
  refreshAsSpa,
  type TokenBody,
} from '../../server/test/token-helpers.js';
import {
  expectManagementError,
  type ManagementWorld,
  storages,
  useManagementWorld,
} from './management-world.js';

interface Auth0User {
  user_id: string;
  email?: string;
  email_verified: boolean;
  username?: string;
  name?: string;
  nickname?: string;
  given_name?: string;
  family_name?: string;
  picture?: string;
  blocked: boolean;
  created_at: string;
  updated_at: string;
  identities: { connection: string; provider: string; user_id: string; isSocial: boolean }[];
}

const frodo = {
  email: 'Frodo@Example.com',
  password: 'one ring to rule',
  username: 'Frodo',
  name: 'Frodo Baggins',
  given_name: 'Frodo',
  family_name: 'Baggins',
  picture: 'https://shire.example/frodo.png',
  connection: 'Username-Password-Authentication',
};

/** Signs the user in through the SPA (the hosted page) and exchanges the code: tokens and the browser. */
async function signedIn(w: ManagementWorld, login: string, pw = password) {
  const browser = new Browser(w.t);
  const { verifier, challenge } = await pkce();
  const start = await browser.get(
    authorizeUrl({
      client_id: w.t.spa,
      redirect_uri: spaCallback,
      audience: apiId,
      scope: 'openid offline_access read:dragons',
      code_challenge: challenge,
      code_challenge_method: 'S256',
    }),
  );
  const signIn = await browser.signIn(start.headers.get('location')!, login, pw);
  const code = new URL(signIn.headers.get('location') ?? 'http://x/').searchParams.get('code');
  expect(code, `${signIn.status} ${await signIn.clone().text()}`).toBeTruthy();
  const response = await exchangeCode(w.t, { code: code!, verifier });
  expect(response.status, await response.clone().text()).toBe(200);
  return { tokens: (await response.json()) as TokenBody, browser };
}

/** Adds an upstream account to the user, as a sign-in through the connection `guild` would. */
async function linkGuildAccount(w: ManagementWorld, userId: string, upstreamId: string) {
  const storage = w.t.server.context.storage;
  if (!(await storage.connections.get('guild'))) {
    await storage.connections.insert({
      name: 'guild',
      strategy: 'oidc',
      preset: null,
      displayName: 'Guild',
      options: { issuer: 'https://guild.example/' },
      sealedSecret: null,
      enabledClients: [],
      createdAt: 1,
      updatedAt: 1,
    });
  }
  await storage.identities.insert({
    connection: 'guild',
    upstreamId,
    provider: 'oidc',
    userId,
    profileData: { sub: upstreamId },
    sealedTokens: null,
    createdAt: 1,
    updatedAt: 1,
  });
}

describe.each(storages())('users on $name', ({ databaseUrl, skip }) => {
  describe.skipIf(skip)('', () => {
    const w = useManagementWorld({ databaseUrl });

    async function create(body: Record<string, unknown>): Promise<Auth0User> {
      const response = await w().call('POST', '/users', { body });
      expect(response.status, await response.clone().text()).toBe(201);
      return (await response.json()) as Auth0User;
    }

    async function get(id: string): Promise<Auth0User> {
      const response = await w().call('GET', `/users/${encodeURIComponent(id)}`);
      expect(response.status, await response.clone().text()).toBe(200);
      return (await response.json()) as Auth0User;
    }

    async function patch(id: string, body: Record<string, unknown>): Promise<Response> {
      return w().call('PATCH', `/users/${encodeURIComponent(id)}`, { body });
    }

    async function list(query: string): Promise<unknown> {
      const response = await w().call('GET', `/users?${query}`);
      expect(response.status, await response.clone().text()).toBe(200);
      return response.json();
    }

    it("creates a user and answers them in Auth0's shape, the email and username in canonical form", async () => {
      const user = await create(frodo);
      expect(user).toEqual({
        user_id: expect.stringMatching(/^user_[0-9a-f]{32}$/),
        email: 'frodo@example.com',
        email_verified: false,
        username: 'frodo',
        name: 'Frodo Baggins',
        nickname: 'Frodo',
        given_name: 'Frodo',
        family_name: 'Baggins',
        picture: 'https://shire.example/frodo.png',
        blocked: false,
        created_at: new Date(w().t.clock()).toISOString().replace(/\.\d{3}Z$/, '.000Z'),
        updated_at: expect.any(String),
        identities: [
          {
            connection: 'Username-Password-Authentication',
            provider: 'auth0',
            user_id: user.user_id,
            isSocial: false,
          },
        ],
      });
      expect(await get(user.user_id)).toEqual(user);
      expect(JSON.stringify(user)).not.toMatch(/passwordHash|hasPassword|argon2|one ring/);
      // The user signs in with what the API set.
      await signedIn(w(), 'FRODO', frodo.password);
    });

    it('refuses bad input with a 400 naming the field', async () => {
      const cases: [Record<string, unknown>, string, RegExp][] = [
        [{ password: frodo.password }, 'invalid_body', /on property email/],
        [{ email: 'frodo@example.com' }, 'invalid_body', /on property password/],
        [{ email: 'not an email', password: frodo.password }, 'invalid_body', /^email: /],
        [
          { email: 'f@example.com', password: 'short' },
          'invalid_body',
          /^password: Password must be at least 8/,
        ],
        [{ ...frodo, username: 'bad name!' }, 'invalid_body', /^username: /],
        [
          { ...frodo, picture: 'ftp://x.example/p.png' },
          'invalid_body',
          /picture must be an http or https URL/,
        ],
        [{ ...frodo, name: 7 }, 'invalid_body', /on property name/],
        [{ ...frodo, blocked: 'yes' }, 'invalid_body', /on property blocked/],
        [
          { ...frodo, app_metadata: { plan: 'gold' } },
          'invalid_body',
          /app_metadata is an Auth0 field Warden does not support/,
        ],
        [{ ...frodo, user_metadata: {} }, 'invalid_body', /user_metadata is an Auth0 field/],
        [{ ...frodo, user_id: 'mine' }, 'invalid_body', /user_id is an Auth0 field/],
        [{ ...frodo, connection: 'github' }, 'invalid_body', /on property connection/],
        [
          { ...frodo, verify_email: true },
          'invalid_body',
          /no verification emails.*on property verify_email/,
        ],
        [{ ...frodo, shoe_size: 12 }, 'invalid_body', /Additional properties not allowed: shoe_size/],
      ];
      for (const [body, code, message] of cases) {
        const response = await w().call('POST', '/users', { body });
        expect(await expectManagementError(response, 400, code), JSON.stringify(body)).toMatch(message);
      }
      expect((await w().t.admin.listUsers()).map((user) => user.email)).not.toContain('frodo@example.com');
    });

    it('refuses an email or username that is taken, in any letter case, with a 409', async () => {
      const taken = await w().call('POST', '/users', { body: { ...frodo, email: 'USER@example.com' } });
      expect(await expectManagementError(taken, 409, 'user_exists')).toMatch(/user@example\.com exists/);
      const name = await w().call('POST', '/users', { body: { ...frodo, username: 'BILBO' } });
      expect(await expectManagementError(name, 409, 'user_exists')).toMatch(/username BILBO is taken/);
      const user = await create(frodo);
      const clash = await patch(user.user_id, { email: 'admin@example.com' });
      expect(await expectManagementError(clash, 409, 'user_exists')).toMatch(/admin@example\.com exists/);
    });

    it('answers 404 for a user that does not exist, by id only (not by email or username)', async () => {
      for (const [method, path] of [
        ['GET', '/users/user_nobody'],
        ['PATCH', '/users/user_nobody'],
        ['DELETE', '/users/user_nobody'],
        ['GET', '/users/bilbo'],
        ['GET', '/users/user@example.com'],
        ['GET', '/users/user_nobody/sessions'],
        ['DELETE', '/users/user_nobody/sessions'],
        ['GET', '/users/user_nobody/authentication-methods'],
        ['DELETE', '/users/user_nobody/identities/oidc/x'],
      ] as const) {
        const response = await w().call(method, path, method === 'PATCH' ? { body: { name: 'X' } } : {});
        expect(await expectManagementError(response, 404, 'inexistent_user'), `${method} ${path}`).toMatch(
          /unknown user/,
        );
      }
    });

    it('lists users oldest first, pages them, counts them, and sorts newest first', async () => {
      const all = (await list('')) as Auth0User[];
      expect(all.map((user) => user.email).sort()).toEqual(['admin@example.com', 'user@example.com']);
      w().t.advance(1);
      await create(frodo);
      const page = await list('per_page=2&page=1&include_totals=true');
      expect(page).toMatchObject({ start: 2, limit: 2, length: 1, total: 3 });
      expect((page as { users: Auth0User[] }).users.map((user) => user.email)).toEqual(['frodo@example.com']);
      const newest = (await list('sort=created_at:-1&per_page=1')) as Auth0User[];
      expect(newest.map((user) => user.email)).toEqual(['frodo@example.com']);
      const fields = (await list('fields=user_id,email&per_page=1')) as Record<string, unknown>[];
      expect(Object.keys(fields[0]!).sort()).toEqual(['email', 'user_id']);
    });

    it('searches by email, name, id or a term, in any letter case', async () => {
      const created = await create(frodo);
      const emails = async (q: string) =>
        ((await list(`q=${encodeURIComponent(q)}`)) as Auth0User[]).map((user) => user.email);
      expect(await emails('email:"USER@example.com"')).toEqual(['user@example.com']);
      expect(await emails('email:user@EXAMPLE.com')).toEqual(['user@example.com']);
      expect(await emails('email:nobody@example.com')).toEqual([]);
      expect(await emails('email:fro*')).toEqual(['frodo@example.com']);
      expect(await emails('name:"bilbo baggins"')).toEqual(['user@example.com']);
      expect(await emails('name:Bil*')).toEqual(['user@example.com']);
      expect(await emails('name:Bilbo')).toEqual([]);
      expect(await emails(`user_id:"${created.user_id}"`)).toEqual(['frodo@example.com']);
      expect(await emails('dae')).toEqual(['admin@example.com']);
      expect(await emails('baggins')).toEqual([]);
      expect(await emails('FRO*')).toEqual(['frodo@example.com']);
      const counted = await list(`q=${encodeURIComponent('name:b*')}&include_totals=true&search_engine=v3`);
      expect(counted).toMatchObject({ total: 1, length: 1 });
    });

    it('refuses search syntax it does not support with a 400 naming it, never ignoring it', async () => {
      const cases: [string, RegExp][] = [
        ['email:"user@example.com" AND name:x', /AND is not supported/],
        ['app_metadata.plan:"gold"', /the field app_metadata\.plan is not searchable/],
        ['name:b?lbo', /the \? wildcard/],
        ['logins_count:[1 TO 5]', /not supported/],
      ];
      for (const [q, message] of cases) {
        const response = await w().call('GET', `/users?q=${encodeURIComponent(q)}`);
        expect(await expectManagementError(response, 400, 'invalid_query_string'), q).toMatch(message);
      }
      for (const query of ['search_engine=v2', 'sort=email:1', 'connection=github', 'per_page=101']) {
        const response = await w().call('GET', `/users?${query}`);
        await expectManagementError(response, 400, 'invalid_query_string');
      }
    });

    it('finds a user by email with users-by-email, in any letter case', async () => {
      const response = await w().call('GET', '/users-by-email?email=User%40Example.COM');
      expect(response.status).toBe(200);
      expect(((await response.json()) as Auth0User[]).map((user) => user.user_id)).toEqual([w().t.userId]);
      const none = await w().call('GET', '/users-by-email?email=nobody%40example.com');
      expect(await none.json()).toEqual([]);
      const missing = await w().call('GET', '/users-by-email');
      expect(await expectManagementError(missing, 400, 'invalid_query_string')).toMatch(/on property email/);
    });

    it('updates what is given, clears with null, and makes a new email unverified', async () => {
      const user = await create({ ...frodo, email_verified: true });
      const response = await patch(user.user_id, {
        email: 'Frodo.B@Example.com',
        name: 'Mr. Underhill',
        given_name: null,
        picture: null,
        connection: 'Username-Password-Authentication',
      });
      expect(response.status, await response.clone().text()).toBe(200);
      const updated = (await response.json()) as Auth0User;
      expect(updated).toMatchObject({
        email: 'frodo.b@example.com',
        email_verified: false,
        name: 'Mr. Underhill',
      });
      expect(updated).not.toHaveProperty('given_name');
      expect(updated).not.toHaveProperty('picture');
      expect(updated.family_name).toBe('Baggins');
      expect(await get(user.user_id)).toEqual(updated);
      const verified = await patch(user.user_id, { email_verified: true, username: null });
      const body = (await verified.json()) as Auth0User;
      expect(body.email_verified).toBe(true);
      expect(body).not.toHaveProperty('username');
      const newPassword = await patch(user.user_id, { password: 'there and back again' });
      expect(newPassword.status).toBe(200);
      await signedIn(w(), 'frodo.b@example.com', 'there and back again');
      for (const [field, value, message] of [
        ['email', 'nope', /^email: /],
        ['password', 'short', /^password: /],
        ['app_metadata', {}, /app_metadata is an Auth0 field/],
        ['phone_number', '+1', /phone_number is an Auth0 field/],
        ['blocked', 'true', /on property blocked/],
      ] as const) {
        const refused = await patch(user.user_id, { [field]: value });
        expect(await expectManagementError(refused, 400, 'invalid_body'), field).toMatch(message);
      }
    });

    it("records each change in the audit log with the actor and before/after, never the password's hash", async () => {
      const user = await create(frodo);
      const after = await lastLogId(w().t);
      await patch(user.user_id, { name: 'Mr. Underhill', password: 'there and back again' });
      const log = await onlyLog(w().t, 'sapi', after);
      expect(log).toMatchObject({
        description: 'Update a user',
        clientId: w().manager.client_id,
        details: {
          actor: { kind: 'management', client_id: w().manager.client_id },
          target: { user_id: user.user_id },
          before: { name: 'Frodo Baggins' },
          after: { name: 'Mr. Underhill' },
        },
      });
      expect(log.details!.changed).toEqual(expect.arrayContaining(['name', 'passwordHash']));
      const refusedAfter = await lastLogId(w().t);
      await patch(user.user_id, { email: 'admin@example.com' });
      const refusal = await onlyLog(w().t, 'fapi', refusedAfter);
      expect(refusal.details).toMatchObject({ error: { type: 'conflict' } });
      const logs = await w().t.server.context.storage.logs.listFrom({ take: 100 });
      expect(JSON.stringify(logs)).not.toMatch(/argon2|there and back again|one ring/);
    });

    it('blocks a user: their sessions end, their refresh token stops working, and they cannot sign in', async () => {
      const { tokens } = await signedIn(w(), 'user@example.com');
      expect(tokens.refresh_token).toBeTypeOf('string');
      const sessions = await w().call('GET', `/users/${w().t.userId}/sessions`);
      expect(((await sessions.json()) as { sessions: unknown[] }).sessions).toHaveLength(1);

      const after = await lastLogId(w().t);
      const response = await patch(w().t.userId, { blocked: true });
      expect(response.status).toBe(200);
      expect(((await response.json()) as Auth0User).blocked).toBe(true);
      expect((await onlyLog(w().t, 'sapi', after)).description).toBe('Block a user');
      const left = await w().call('GET', `/users/${w().t.userId}/sessions`);
      expect(await left.json()).toEqual({ sessions: [] });
      await expectOAuthError(await refreshAsSpa(w().t, tokens.refresh_token!), 'invalid_grant');

      // The hosted page refuses the right password with a clear message, and the log says why.
      const browser = new Browser(w().t);
      const start = await browser.get(
        `/authorize?${new URLSearchParams({
          response_type: 'code',
          client_id: w().t.spa,
          redirect_uri: 'http://localhost:4200/callback',
          scope: 'openid',
          code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
          code_challenge_method: 'S256',
        })}`,
      );
      const beforeAttempt = await lastLogId(w().t);
      const refused = await browser.signIn(start.headers.get('location')!, 'user@example.com');
      expect(refused.status).toBe(403);
      expect(htmlText(await refused.text())).toContain('This account is blocked.');
      expect(await onlyLog(w().t, 'f', beforeAttempt)).toMatchObject({
        userId: w().t.userId,
        connection: 'Username-Password-Authentication',
        details: { reason: 'blocked' },
      });
      // A wrong password says nothing about the block.
      const wrong = await browser.signIn(
        start.headers.get('location')!,
        'user@example.com',
        'wrong password!',
      );
      expect(wrong.status).toBe(401);
      expect(htmlText(await wrong.text())).not.toContain('blocked');

      const unblocked = await patch(w().t.userId, { blocked: false });
      expect(((await unblocked.json()) as Auth0User).blocked).toBe(false);
      // What was issued before the block stays revoked; a new sign-in works.
      w().t.advance(1);
      await signedIn(w(), 'user@example.com');
    });

    it('deletes a user with delete:users; without that scope it is refused and the user stays', async () => {
      const user = await create(frodo);
      const reader = await w().addManager('Reader', ['read:users', 'update:users']);
      const denied = await w().call('DELETE', `/users/${user.user_id}`, {
        token: await w().token({ client: reader }),
      });
      expect(await expectManagementError(denied, 403, 'insufficient_scope')).toMatch(/delete:users/);
      expect((await get(user.user_id)).email).toBe('frodo@example.com');
      const creating = await w().call('POST', '/users', {
        token: await w().token({ client: reader }),
        body: { ...frodo, email: 'sam@example.com', username: 'sam' },
      });
      await expectManagementError(creating, 403, 'insufficient_scope');

      const { tokens } = await signedIn(w(), 'frodo', frodo.password);
      const removed = await w().call('DELETE', `/users/${user.user_id}`);
      expect(removed.status).toBe(204);
      const gone = await w().call('GET', `/users/${user.user_id}`);
      await expectManagementError(gone, 404, 'inexistent_user');
      await expectOAuthError(await refreshAsSpa(w().t, tokens.refresh_token!), 'invalid_grant');
      const again = await w().call('DELETE', `/users/${user.user_id}`);
      await expectManagementError(again, 404, 'inexistent_user');
    });

    it("lists a user's sessions and ends one, or all of them", async () => {
      const first = await signedIn(w(), 'user@example.com');
      const second = await signedIn(w(), 'user@example.com');
      const listed = await w().call('GET', `/users/${w().t.userId}/sessions`);
      expect(listed.status).toBe(200);
      const body = (await listed.json()) as {
        sessions: { id: string; user_id: string; expires_at: string }[];
      };
      expect(body.sessions).toHaveLength(2);
      expect(body.sessions[0]).toEqual({
        id: expect.any(String),
        user_id: w().t.userId,
        created_at: expect.any(String),
        updated_at: expect.any(String),
        authenticated_at: expect.any(String),
        last_interacted_at: expect.any(String),
        idle_expires_at: expect.any(String),
        expires_at: expect.any(String),
      });
      const paged = await w().call('GET', `/users/${w().t.userId}/sessions?take=1`);
      const firstPage = (await paged.json()) as { sessions: { id: string }[]; next?: string };
      expect(firstPage.sessions).toHaveLength(1);
      const nextPage = await w().call('GET', `/users/${w().t.userId}/sessions?take=1&from=${firstPage.next}`);
      expect(((await nextPage.json()) as { sessions: unknown[] }).sessions).toHaveLength(1);

      const sid = (await w().t.server.context.sso.load(
        new Request(w().t.issuer, { headers: { cookie: second.browser.jar.header() } }),
      ))!.sid;
      const ended = await w().call('DELETE', `/users/${w().t.userId}/sessions/${sid}`);
      expect(ended.status).toBe(204);
      await expectOAuthError(await refreshAsSpa(w().t, second.tokens.refresh_token!), 'invalid_grant');
      const stillWorks = await refreshAsSpa(w().t, first.tokens.refresh_token!);
      expect(stillWorks.status).toBe(200);
      const unknown = await w().call('DELETE', `/users/${w().t.userId}/sessions/${sid}`);
      await expectManagementError(unknown, 404, 'inexistent_session');

      const reader = await w().addManager('Session reader', ['read:sessions']);
      const denied = await w().call('DELETE', `/users/${w().t.userId}/sessions`, {
        token: await w().token({ client: reader }),
      });
      await expectManagementError(denied, 403, 'insufficient_scope');
      const all = await w().call('DELETE', `/users/${w().t.userId}/sessions`);
      expect(all.status).toBe(204);
      const none = await w().call('GET', `/users/${w().t.userId}/sessions`);
      expect(await none.json()).toEqual({ sessions: [] });
    });

    it("unlinks an upstream account, but never the user's only way to sign in", async () => {
      await linkGuildAccount(w(), w().t.userId, 'rider-7');
      const user = await get(w().t.userId);
      expect(user.identities).toEqual([
        {
          connection: 'Username-Password-Authentication',
          provider: 'auth0',
          user_id: w().t.userId,
          isSocial: false,
        },
        { connection: 'guild', provider: 'oidc', user_id: 'rider-7', isSocial: false },
      ]);
      const unlinked = await w().call('DELETE', `/users/${w().t.userId}/identities/oidc/rider-7`);
      expect(unlinked.status).toBe(200);
      expect(await unlinked.json()).toEqual([user.identities[0]]);
      const again = await w().call('DELETE', `/users/${w().t.userId}/identities/oidc/rider-7`);
      await expectManagementError(again, 404, 'inexistent_identity');

      // A user who signs in only upstream keeps their one account.
      const storage = w().t.server.context.storage;
      const frodoUser = await create(frodo);
      await linkGuildAccount(w(), frodoUser.user_id, 'frodo-9');
      const methods = async () =>
        (await (await w().call('GET', `/users/${frodoUser.user_id}/authentication-methods`)).json()) as {
          id: string;
          type: string;
        }[];
      expect(await methods()).toEqual([{ id: 'password', type: 'password', created_at: expect.any(String) }]);
      const dropped = await w().call('DELETE', `/users/${frodoUser.user_id}/authentication-methods/password`);
      expect(dropped.status).toBe(204);
      expect(await methods()).toEqual([]);
      expect((await storage.users.get(frodoUser.user_id))?.passwordHash).toBeNull();
      const onlyWay = await w().call('DELETE', `/users/${frodoUser.user_id}/identities/oidc/frodo-9`);
      expect(await expectManagementError(onlyWay, 400, 'invalid_body')).toMatch(/only way the user signs in/);
      expect(await storage.identities.get('guild', 'frodo-9')).toBeDefined();
    });

    it("lists the password as an authentication method and refuses to delete a user's only one", async () => {
      const response = await w().call(
        'GET',
        `/users/${w().t.userId}/authentication-methods?include_totals=true`,
      );
      expect(await response.json()).toMatchObject({
        total: 1,
        authenticators: [{ id: 'password', type: 'password' }],
      });
      const refused = await w().call('DELETE', `/users/${w().t.userId}/authentication-methods/password`);
      expect(await expectManagementError(refused, 400, 'invalid_body')).toMatch(
        /the password is the only way the user signs in/,
      );
      const unknown = await w().call('DELETE', `/users/${w().t.userId}/authentication-methods/totp`);
      await expectManagementError(unknown, 404, 'inexistent_authentication_method');
      const reader = await w().addManager('Method reader', ['read:users']);
      const denied = await w().call('GET', `/users/${w().t.userId}/authentication-methods`, {
        token: await w().token({ client: reader }),
      });
      await expectManagementError(denied, 403, 'insufficient_scope');
    });
  });
});
