/**
 * The `Storage` contract: one suite, run against every database the server supports
 * (`storage-sqlite.test.ts`, `storage-postgres.test.ts`). Every test gets a fresh, empty,
 * migrated database from `open`.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DATABASE_CONNECTION } from '../src/connections/database-connection.js';
import { isUniqueViolation } from '../src/storage/is-unique-violation.js';
import type {
  Api,
  AuthorizationCode,
  Client,
  Connection,
  Identity,
  RefreshToken,
  SigningKey,
  Storage,
  User,
} from '../src/storage/storage.js';
import { logsContract } from './storage-contract-logs.js';
import { rolesContract } from './storage-contract-roles.js';

export interface OpenedForTest {
  storage: Storage;
  /** Closes the storage and removes whatever the test created (file, schema). */
  close(): Promise<void>;
}

const NOW = 1_700_000_000;

export function runStorageContract(name: string, open: () => Promise<OpenedForTest>): void {
  describe(`Storage contract: ${name}`, () => {
    let opened: OpenedForTest;
    let storage: Storage;

    beforeEach(async () => {
      opened = await open();
      storage = opened.storage;
    });
    afterEach(async () => {
      await opened.close();
    });

    describe('clients', () => {
      it('returns an inserted client as it was given, lists in creation order', async () => {
        const web = client({ clientId: 'web-1', createdAt: NOW + 1 });
        const spa = client({
          clientId: 'spa-1',
          type: 'spa',
          secretHash: null,
          thirdParty: true,
          legacyImplicit: true,
          apis: [],
          createdAt: NOW,
        });
        await storage.clients.insert(web);
        await storage.clients.insert(spa);

        expect(await storage.clients.get('web-1')).toEqual(web);
        expect(await storage.clients.get('spa-1')).toEqual(spa);
        expect(await storage.clients.get('nope')).toBeUndefined();
        expect(await storage.clients.list()).toEqual([spa, web]);
      });

      it('updates everything of a client but its id and creation time', async () => {
        await storage.clients.insert(client({ clientId: 'c-1' }));
        await storage.clients.insert(client({ clientId: 'c-2', name: 'Untouched' }));
        const changed = client({
          clientId: 'c-1',
          name: 'Renamed',
          type: 'm2m',
          secretHash: 'b'.repeat(64),
          redirectUris: [],
          allowedOrigins: [],
          postLogoutRedirectUris: [],
          apis: ['https://dragons.example/api', 'https://orders.example/api'],
          apiScopes: { 'https://orders.example/api': ['read:orders'] },
          thirdParty: true,
          legacyImplicit: true,
          createdAt: NOW + 99,
        });

        await storage.clients.update(changed);

        expect(await storage.clients.get('c-1')).toEqual({ ...changed, createdAt: NOW });
        expect((await storage.clients.get('c-2'))?.name).toBe('Untouched');
      });

      it('rejects a second client with the same id', async () => {
        await storage.clients.insert(client({ clientId: 'dup' }));
        const error = await storage.clients.insert(client({ clientId: 'dup' })).catch((e: unknown) => e);
        expect(isUniqueViolation(error)).toBe(true);
      });

      it('deletes a client with its codes, refresh tokens and consents', async () => {
        await seedUserAndClient(storage);
        await storage.clients.insert(client({ clientId: 'other' }));
        await storage.codes.insert(code({ codeHash: 'c1' }));
        await storage.refreshTokens.insert(refreshToken({ tokenHash: 'r1', familyId: 'f1' }));
        await storage.refreshTokens.insert(
          refreshToken({ tokenHash: 'r2', familyId: 'f2', clientId: 'other' }),
        );
        await storage.consents.grant('user-1', 'client-1', ['openid'], NOW);

        await storage.clients.delete('client-1');

        expect(await storage.clients.get('client-1')).toBeUndefined();
        expect(await storage.codes.get('c1')).toBeUndefined();
        expect(await storage.refreshTokens.get('r1')).toBeUndefined();
        expect(await storage.refreshTokens.familyRevoked('f1')).toBe(true);
        expect(await storage.consents.get('user-1', 'client-1')).toBeUndefined();
        expect(await storage.refreshTokens.get('r2')).toBeDefined();
        expect(await storage.refreshTokens.familyRevoked('f2')).toBe(false);
      });
    });

    describe('apis', () => {
      it('returns an inserted API as it was given, with or without encryption', async () => {
        const plain = api({ identifier: 'https://dragons.example/api', createdAt: NOW });
        const sealed = api({
          identifier: 'https://orders.example/api',
          signingAlg: 'ES256',
          rbac: false,
          scopes: [],
          encryption: { alg: 'ECDH-ES', publicJwk: { kty: 'EC', crv: 'P-256', x: 'x', y: 'y' } },
          createdAt: NOW + 5,
        });
        await storage.apis.insert(sealed);
        await storage.apis.insert(plain);

        expect(await storage.apis.get(plain.identifier)).toEqual(plain);
        expect(await storage.apis.get(sealed.identifier)).toEqual(sealed);
        expect(await storage.apis.get('https://unknown.example')).toBeUndefined();
        expect(await storage.apis.list()).toEqual([plain, sealed]);
      });

      it('updates everything of an API but its identifier and creation time', async () => {
        await storage.apis.insert(api());
        const changed = api({
          name: 'Dragons',
          signingAlg: 'PS256',
          rbac: false,
          skipConsent: false,
          scopes: ['read:dragons', 'feed:dragons'],
          scopeDescriptions: { 'feed:dragons': 'Feed the dragons' },
          accessTokenTtl: 60,
          encryption: { alg: 'ECDH-ES', publicJwk: { kty: 'EC', crv: 'P-256', x: 'x', y: 'y' } },
          createdAt: NOW + 99,
        });

        await storage.apis.update(changed);

        expect(await storage.apis.get(changed.identifier)).toEqual({ ...changed, createdAt: NOW });
      });

      it('deletes an API with its role permissions and its place in client grants', async () => {
        const orders = 'https://orders.example/api';
        await storage.apis.insert(api());
        await storage.apis.insert(api({ identifier: orders }));
        await storage.clients.insert(
          client({
            clientId: 'c-1',
            apis: ['https://dragons.example/api', orders],
            apiScopes: { [orders]: ['read:orders'], 'https://dragons.example/api': ['read:dragons'] },
          }),
        );
        await storage.clients.insert(client({ clientId: 'c-2', apis: ['https://dragons.example/api'] }));
        await storage.roles.upsert({
          id: 'rol_admin',
          name: 'admin',
          description: '',
          permissions: [
            { api: orders, permission: 'read:orders' },
            { api: 'https://dragons.example/api', permission: 'read:dragons' },
          ],
        });

        await storage.apis.delete(orders);

        expect(await storage.apis.get(orders)).toBeUndefined();
        expect(await storage.clients.get('c-1')).toMatchObject({
          apis: ['https://dragons.example/api'],
          apiScopes: { 'https://dragons.example/api': ['read:dragons'] },
        });
        expect((await storage.clients.get('c-2'))?.apis).toEqual(['https://dragons.example/api']);
        expect((await storage.roles.get('admin'))?.permissions).toEqual([
          { api: 'https://dragons.example/api', permission: 'read:dragons' },
        ]);
      });
    });

    describe('users', () => {
      it('finds a user by email or username in any letter case', async () => {
        await storage.users.insert(user({ id: 'u-ada', email: 'Ada@Example.com', username: 'AdaL' }));
        // Stored in canonical form: lowercase.
        const ada = user({ id: 'u-ada', email: 'ada@example.com', username: 'adal' });

        expect(await storage.users.get('u-ada')).toEqual(ada);
        expect(await storage.users.findByLogin('ada@example.com')).toEqual(ada);
        expect(await storage.users.findByLogin('ADA@EXAMPLE.COM')).toEqual(ada);
        expect(await storage.users.findByLogin('adal')).toEqual(ada);
        expect(await storage.users.findByLogin('ADAL')).toEqual(ada);
        expect(await storage.users.findByLogin('ada')).toBeUndefined();
        expect(await storage.users.findByLogin('')).toBeUndefined();
        expect(await storage.users.get('u-nobody')).toBeUndefined();
      });

      it('stores and finds Unicode emails and usernames in one canonical form (NFC, lowercase, Unicode domain)', async () => {
        await storage.users.insert(
          user({ id: 'u-emile', email: 'E\u0301mile-X@Example.COM', username: 'E\u0301MILE' }),
        );
        await storage.users.insert(user({ id: 'u-idn', email: 'User@XN--BCHER-KVA.de', username: null }));

        expect(await storage.users.get('u-emile')).toMatchObject({
          email: '\u00e9mile-x@example.com',
          username: '\u00e9mile',
        });
        expect((await storage.users.get('u-idn'))?.email).toBe('user@b\u00fccher.de');
        for (const login of [
          '\u00c9mile-x@example.com',
          '\u00e9mile-x@EXAMPLE.com',
          'E\u0301MILE-X@example.com',
          '\u00c9MILE-X@EXAMPLE.COM',
          '\u00c9mile',
          'e\u0301mile',
        ]) {
          expect((await storage.users.findByLogin(login))?.id, login).toBe('u-emile');
        }
        expect((await storage.users.findByLogin('user@B\u00dcCHER.de'))?.id).toBe('u-idn');
        expect((await storage.users.findByLogin('user@xn--bcher-kva.de'))?.id).toBe('u-idn');
        expect(await storage.users.findByLogin('emile-x@example.com')).toBeUndefined();
      });

      it('rejects an email or username that is a taken one in another case or composition', async () => {
        await storage.users.insert(
          user({ id: 'u-1', email: '\u00e9mile@example.com', username: '\u00c9mile' }),
        );

        for (const [id, email, username] of [
          ['u-2', '\u00c9MILE@example.com', null],
          ['u-3', 'e\u0301mile@Example.com', null],
          ['u-4', 'other@example.com', 'E\u0301MILE'],
        ] as const) {
          const error = await storage.users.insert(user({ id, email, username })).catch((e: unknown) => e);
          expect(isUniqueViolation(error), id).toBe(true);
        }
        expect(await storage.users.list()).toHaveLength(1);
      });

      it('treats wildcard characters in a login literally', async () => {
        await storage.users.insert(user({ id: 'u-1', email: 'a_b@example.com', username: 'a%b' }));
        expect(await storage.users.findByLogin('axb@example.com')).toBeUndefined();
        expect(await storage.users.findByLogin('a%')).toBeUndefined();
        expect((await storage.users.findByLogin('A%B'))?.id).toBe('u-1');
      });

      it('prefers the user whose email matches over one whose username is that text', async () => {
        await storage.users.insert(
          user({ id: 'u-name', email: 'x@example.com', username: 'bob@example.com' }),
        );
        await storage.users.insert(user({ id: 'u-mail', email: 'Bob@example.com', username: null }));
        expect((await storage.users.findByLogin('bob@example.com'))?.id).toBe('u-mail');
      });

      it('rejects an email or username that differs from a taken one only in case', async () => {
        await storage.users.insert(user({ id: 'u-1', email: 'ada@example.com', username: 'ada' }));

        const sameEmail = await storage.users
          .insert(user({ id: 'u-2', email: 'ADA@example.com', username: 'other' }))
          .catch((e: unknown) => e);
        const sameUsername = await storage.users
          .insert(user({ id: 'u-3', email: 'other@example.com', username: 'ADA' }))
          .catch((e: unknown) => e);

        expect(isUniqueViolation(sameEmail)).toBe(true);
        expect(isUniqueViolation(sameUsername)).toBe(true);
        expect(await storage.users.list()).toHaveLength(1);
      });

      it('allows any number of users without a username', async () => {
        await storage.users.insert(user({ id: 'u-1', email: 'one@example.com', username: null }));
        await storage.users.insert(user({ id: 'u-2', email: 'two@example.com', username: null }));
        expect((await storage.users.list()).map((u) => u.id)).toEqual(['u-1', 'u-2']);
      });

      it('changes the password hash and the update time', async () => {
        await storage.users.insert(user({ id: 'u-1' }));
        await storage.users.setPassword('u-1', '$argon2id$new', NOW + 60);

        const changed = await storage.users.get('u-1');
        expect(changed?.passwordHash).toBe('$argon2id$new');
        expect(changed?.updatedAt).toBe(NOW + 60);
        expect(changed?.createdAt).toBe(NOW);
      });

      it('keeps users without an email or a password (upstream accounts), any number of them', async () => {
        const upstream = user({ id: 'github|1', email: null, username: null, passwordHash: null });
        await storage.users.insert(upstream);
        await storage.users.insert(user({ id: 'github|2', email: null, username: null, passwordHash: null }));
        expect(await storage.users.get('github|1')).toEqual(upstream);
        expect(await storage.users.findByLogin('')).toBeUndefined();
      });

      it('replaces the profile, email in canonical form, and refuses an email that is taken', async () => {
        await storage.users.insert(user({ id: 'u-1' }));
        await storage.users.insert(user({ id: 'u-2', email: 'taken@example.com', username: null }));
        const profile = {
          email: 'Zo\u00EB@Example.COM',
          name: 'Zoë Q',
          nickname: 'zoe',
          picture: null,
          givenName: 'Zoë',
          familyName: 'Q',
          locale: 'fr',
          emailVerified: true,
        };
        await storage.users.updateProfile('u-1', profile, NOW + 5);
        expect(await storage.users.get('u-1')).toEqual({
          ...user({ id: 'u-1' }),
          ...profile,
          email: 'zo\u00EB@example.com',
          updatedAt: NOW + 5,
        });
        const clash = await storage.users
          .updateProfile('u-1', { ...profile, email: 'TAKEN@example.com' }, NOW + 6)
          .then(
            () => undefined,
            (error: unknown) => error,
          );
        expect(isUniqueViolation(clash)).toBe(true);
      });

      it('lists users in creation order', async () => {
        const later = user({ id: 'u-a', email: 'a@example.com', username: null, createdAt: NOW + 10 });
        const earlier = user({ id: 'u-b', email: 'b@example.com', username: null, createdAt: NOW });
        await storage.users.insert(later);
        await storage.users.insert(earlier);
        expect(await storage.users.list()).toEqual([earlier, later]);
      });

      it('deletes a user with roles, codes, refresh tokens and consents', async () => {
        await seedUserAndClient(storage);
        await storage.roles.upsert({
          id: 'rol_admin',
          name: 'admin',
          description: 'Admins',
          permissions: [],
        });
        await storage.roles.assign('user-1', 'admin');
        await storage.codes.insert(code({ codeHash: 'c1' }));
        await storage.refreshTokens.insert(refreshToken({ tokenHash: 'r1', familyId: 'f1' }));
        await storage.consents.grant('user-1', 'client-1', ['openid'], NOW);

        await storage.users.delete('user-1');

        expect(await storage.users.get('user-1')).toBeUndefined();
        expect(await storage.roles.forUser('user-1')).toEqual([]);
        expect(await storage.codes.get('c1')).toBeUndefined();
        expect(await storage.refreshTokens.get('r1')).toBeUndefined();
        expect(await storage.consents.get('user-1', 'client-1')).toBeUndefined();
        expect(await storage.roles.get('admin')).toBeDefined();
      });
    });

    describe('roles', () => rolesContract(() => storage));

    describe('keys', () => {
      it('stores keys and moves them through next, current, retired and revoked', async () => {
        const next = signingKey({ kid: 'k-next', status: 'next', activatedAt: null, createdAt: NOW });
        await storage.keys.insert(next);
        expect(await storage.keys.list()).toEqual([next]);

        await storage.keys.setStatus('k-next', 'current', NOW + 10);
        expect(await storage.keys.list()).toEqual([
          { ...next, status: 'current', activatedAt: NOW + 10, retiredAt: null },
        ]);

        await storage.keys.setStatus('k-next', 'retired', NOW + 20);
        await storage.keys.setStatus('k-next', 'revoked', NOW + 30);
        expect(await storage.keys.list()).toEqual([
          { ...next, status: 'revoked', activatedAt: NOW + 10, retiredAt: NOW + 20 },
        ]);
      });

      it('keeps private and public JWKs intact and lists keys oldest first', async () => {
        const older = signingKey({ kid: 'k-1', createdAt: NOW, alg: 'ES256' });
        const newer = signingKey({ kid: 'k-2', createdAt: NOW + 1, alg: 'EdDSA' });
        await storage.keys.insert(newer);
        await storage.keys.insert(older);
        expect(await storage.keys.list()).toEqual([older, newer]);
      });

      it('deletes a key', async () => {
        await storage.keys.insert(signingKey({ kid: 'k-1' }));
        await storage.keys.insert(signingKey({ kid: 'k-2' }));
        await storage.keys.delete('k-1');
        expect((await storage.keys.list()).map((k) => k.kid)).toEqual(['k-2']);
      });
    });

    describe('authorization codes', () => {
      beforeEach(() => seedUserAndClient(storage));

      it('returns an inserted code as it was given', async () => {
        const withPkce = code({ codeHash: 'c1' });
        const bare = code({ codeHash: 'c2', audience: null, nonce: null, codeChallenge: null });
        await storage.codes.insert(withPkce);
        await storage.codes.insert(bare);
        expect(await storage.codes.get('c1')).toEqual(withPkce);
        expect(await storage.codes.get('c2')).toEqual(bare);
        expect(await storage.codes.get('c3')).toBeUndefined();
      });

      it('consumes a code once: the second attempt is told it was already used', async () => {
        await storage.codes.insert(code({ codeHash: 'c1' }));
        expect(await storage.codes.consume('c1', NOW + 1)).toBe(true);
        expect(await storage.codes.consume('c1', NOW + 2)).toBe(false);
        expect((await storage.codes.get('c1'))?.consumedAt).toBe(NOW + 1);
        expect(await storage.codes.consume('unknown', NOW)).toBe(false);
      });

      it('lets exactly one of 10 concurrent consumers win', async () => {
        await storage.codes.insert(code({ codeHash: 'c1' }));
        const results = await Promise.all(
          Array.from({ length: 10 }, (_, i) => storage.codes.consume('c1', NOW + i)),
        );
        expect(results.filter(Boolean)).toHaveLength(1);
      });

      it('records what the exchange issued', async () => {
        await storage.codes.insert(code({ codeHash: 'c1' }));
        await storage.codes.recordIssued('c1', 'jti-1', 'family-1');
        const stored = await storage.codes.get('c1');
        expect(stored?.issuedJti).toBe('jti-1');
        expect(stored?.issuedFamilyId).toBe('family-1');
      });

      it('forgets expired codes, consumed or not', async () => {
        await storage.codes.insert(code({ codeHash: 'old', expiresAt: NOW }));
        await storage.codes.insert(code({ codeHash: 'old-used', expiresAt: NOW - 5 }));
        await storage.codes.consume('old-used', NOW - 10);
        await storage.codes.insert(code({ codeHash: 'fresh', expiresAt: NOW + 1 }));
        await storage.codes.deleteExpired(NOW);
        expect(await storage.codes.get('old')).toBeUndefined();
        expect(await storage.codes.get('old-used')).toBeUndefined();
        expect(await storage.codes.get('fresh')).toBeDefined();
      });
    });

    describe('refresh tokens', () => {
      beforeEach(() => seedUserAndClient(storage));

      it('returns an inserted token as it was given, in a live family', async () => {
        const token = refreshToken({ tokenHash: 'r1', familyId: 'f1' });
        await storage.refreshTokens.insert(token);
        expect(await storage.refreshTokens.get('r1')).toEqual(token);
        expect(await storage.refreshTokens.get('r-unknown')).toBeUndefined();
        expect(await storage.refreshTokens.familyRevoked('f1')).toBe(false);
      });

      it('spends a token once, recording its successor and the sealed response', async () => {
        await storage.refreshTokens.insert(refreshToken({ tokenHash: 'r1', familyId: 'f1' }));
        expect(await storage.refreshTokens.spend('r1', 'r2', 'sealed-1', NOW + 5)).toBe(true);
        expect(await storage.refreshTokens.spend('r1', 'r3', 'sealed-2', NOW + 6)).toBe(false);

        const spent = await storage.refreshTokens.get('r1');
        expect(spent?.spentAt).toBe(NOW + 5);
        expect(spent?.successorHash).toBe('r2');
        expect(spent?.sealedResponse).toBe('sealed-1');
      });

      it('lets exactly one of 10 concurrent spenders win', async () => {
        await storage.refreshTokens.insert(refreshToken({ tokenHash: 'r1', familyId: 'f1' }));
        const results = await Promise.all(
          Array.from({ length: 10 }, (_, i) =>
            storage.refreshTokens.spend('r1', `next-${i}`, `sealed-${i}`, NOW),
          ),
        );
        expect(results.filter(Boolean)).toHaveLength(1);
        const winner = results.indexOf(true);
        expect((await storage.refreshTokens.get('r1'))?.successorHash).toBe(`next-${winner}`);
      });

      it('revokes a whole family; a later token in it is revoked too', async () => {
        await storage.refreshTokens.insert(refreshToken({ tokenHash: 'r1', familyId: 'f1' }));
        await storage.refreshTokens.insert(refreshToken({ tokenHash: 'other', familyId: 'f2' }));
        await storage.refreshTokens.revokeFamily('f1', NOW);
        await storage.refreshTokens.insert(refreshToken({ tokenHash: 'r2', familyId: 'f1' }));

        expect(await storage.refreshTokens.familyRevoked('f1')).toBe(true);
        expect(await storage.refreshTokens.familyRevoked('f2')).toBe(false);
      });

      it('reports an unknown family as revoked', async () => {
        expect(await storage.refreshTokens.familyRevoked('never-issued')).toBe(true);
      });

      it('revokes every family of a user, or only those of one client', async () => {
        await storage.users.insert(user({ id: 'user-2', email: 'two@example.com', username: null }));
        await storage.clients.insert(client({ clientId: 'client-2' }));
        await storage.refreshTokens.insert(refreshToken({ tokenHash: 'a', familyId: 'fa' }));
        await storage.refreshTokens.insert(
          refreshToken({ tokenHash: 'b', familyId: 'fb', clientId: 'client-2' }),
        );
        await storage.refreshTokens.insert(
          refreshToken({ tokenHash: 'c', familyId: 'fc', userId: 'user-2' }),
        );

        await storage.refreshTokens.revokeForUser('user-1', NOW, 'client-2');
        expect(await storage.refreshTokens.familyRevoked('fa')).toBe(false);
        expect(await storage.refreshTokens.familyRevoked('fb')).toBe(true);

        await storage.refreshTokens.revokeForUser('user-1', NOW);
        expect(await storage.refreshTokens.familyRevoked('fa')).toBe(true);
        expect(await storage.refreshTokens.familyRevoked('fc')).toBe(false);
      });

      it('revokes the families of one session only', async () => {
        await storage.refreshTokens.insert(refreshToken({ tokenHash: 'a', familyId: 'fa', sid: 'sid-a' }));
        await storage.refreshTokens.insert(refreshToken({ tokenHash: 'b', familyId: 'fb', sid: 'sid-b' }));
        await storage.refreshTokens.revokeForSession('sid-a', NOW);
        expect(await storage.refreshTokens.familyRevoked('fa')).toBe(true);
        expect(await storage.refreshTokens.familyRevoked('fb')).toBe(false);
      });

      it('forgets expired tokens and keeps live ones with their family', async () => {
        await storage.refreshTokens.insert(
          refreshToken({ tokenHash: 'old', familyId: 'f1', expiresAt: NOW }),
        );
        await storage.refreshTokens.insert(
          refreshToken({ tokenHash: 'live', familyId: 'f1', expiresAt: NOW + 1 }),
        );
        await storage.refreshTokens.insert(
          refreshToken({ tokenHash: 'gone', familyId: 'f2', expiresAt: NOW - 1 }),
        );
        await storage.refreshTokens.deleteExpired(NOW);

        expect(await storage.refreshTokens.get('old')).toBeUndefined();
        expect(await storage.refreshTokens.get('gone')).toBeUndefined();
        expect(await storage.refreshTokens.get('live')).toBeDefined();
        expect(await storage.refreshTokens.familyRevoked('f1')).toBe(false);
      });
    });

    describe('consents', () => {
      beforeEach(() => seedUserAndClient(storage));

      it('records a grant and widens it with the union of later grants', async () => {
        expect(await storage.consents.get('user-1', 'client-1')).toBeUndefined();

        await storage.consents.grant('user-1', 'client-1', ['openid', 'profile'], NOW);
        expect(await storage.consents.get('user-1', 'client-1')).toEqual({
          userId: 'user-1',
          clientId: 'client-1',
          scopes: ['openid', 'profile'],
          grantedAt: NOW,
        });

        await storage.consents.grant('user-1', 'client-1', ['profile', 'read:dragons'], NOW + 9);
        expect(await storage.consents.get('user-1', 'client-1')).toEqual({
          userId: 'user-1',
          clientId: 'client-1',
          scopes: ['openid', 'profile', 'read:dragons'],
          grantedAt: NOW + 9,
        });
      });

      it('loses no scope when grants run concurrently', async () => {
        const scopes = ['a', 'b', 'c', 'd', 'e', 'f'];
        await Promise.all(scopes.map((scope) => storage.consents.grant('user-1', 'client-1', [scope], NOW)));
        const consent = await storage.consents.get('user-1', 'client-1');
        expect([...(consent?.scopes ?? [])].sort()).toEqual(scopes);
      });

      it('revokes a consent', async () => {
        await storage.consents.grant('user-1', 'client-1', ['openid'], NOW);
        await storage.consents.revoke('user-1', 'client-1');
        expect(await storage.consents.get('user-1', 'client-1')).toBeUndefined();
      });
    });

    describe('revocations', () => {
      it('numbers entries in increasing order and serves them from a position', async () => {
        const first = await storage.revocations.add({
          kind: 'jti',
          value: 'j1',
          notBefore: NOW,
          expiresAt: NOW + 600,
        });
        const second = await storage.revocations.add({
          kind: 'user',
          value: 'u1',
          notBefore: NOW,
          expiresAt: NOW + 600,
        });
        const third = await storage.revocations.add({
          kind: 'all',
          value: '*',
          notBefore: NOW,
          expiresAt: NOW + 600,
        });

        expect(first).toEqual({
          seq: first.seq,
          kind: 'jti',
          value: 'j1',
          notBefore: NOW,
          expiresAt: NOW + 600,
        });
        expect(typeof first.seq).toBe('number');
        expect(second.seq).toBeGreaterThan(first.seq);
        expect(third.seq).toBeGreaterThan(second.seq);

        expect(await storage.revocations.since(0, 100)).toEqual([first, second, third]);
        expect(await storage.revocations.since(first.seq, 100)).toEqual([second, third]);
        expect(await storage.revocations.since(first.seq, 1)).toEqual([second]);
        expect(await storage.revocations.since(third.seq, 100)).toEqual([]);
      });

      it('gives distinct numbers to concurrent additions', async () => {
        const added = await Promise.all(
          Array.from({ length: 8 }, (_, i) =>
            storage.revocations.add({ kind: 'jti', value: `j${i}`, notBefore: NOW, expiresAt: NOW + 60 }),
          ),
        );
        expect(new Set(added.map((entry) => entry.seq)).size).toBe(8);
        expect(await storage.revocations.since(0, 100)).toHaveLength(8);
      });

      it('forgets expired entries and never reuses their numbers', async () => {
        const old = await storage.revocations.add({
          kind: 'session',
          value: 's1',
          notBefore: NOW,
          expiresAt: NOW,
        });
        const live = await storage.revocations.add({
          kind: 'client',
          value: 'c1',
          notBefore: NOW,
          expiresAt: NOW + 1,
        });
        const last = await storage.revocations.add({
          kind: 'key',
          value: 'k1',
          notBefore: NOW,
          expiresAt: NOW - 1,
        });

        await storage.revocations.deleteExpired(NOW);
        expect(await storage.revocations.since(0, 100)).toEqual([live]);
        expect(old.seq).toBeLessThan(live.seq);

        const after = await storage.revocations.add({
          kind: 'jti',
          value: 'j2',
          notBefore: NOW,
          expiresAt: NOW + 60,
        });
        expect(after.seq).toBeGreaterThan(last.seq);
      });
    });

    describe('interactions', () => {
      it('stores, reads, deletes and expires pending interactions', async () => {
        const params = {
          client_id: 'client-1',
          scope: 'openid',
          max_age: 300,
          prompt: ['login'],
          nested: { a: true },
        };
        await storage.interactions.insert({ idHash: 'i1', params, expiresAt: NOW + 60 });
        await storage.interactions.insert({ idHash: 'i2', params: {}, expiresAt: NOW });
        await storage.interactions.insert({ idHash: 'i3', params: {}, expiresAt: NOW + 60 });

        expect(await storage.interactions.get('i1')).toEqual({ idHash: 'i1', params, expiresAt: NOW + 60 });
        expect(await storage.interactions.get('nope')).toBeUndefined();

        await storage.interactions.delete('i3');
        expect(await storage.interactions.get('i3')).toBeUndefined();

        await storage.interactions.deleteExpired(NOW);
        expect(await storage.interactions.get('i2')).toBeUndefined();
        expect(await storage.interactions.get('i1')).toBeDefined();
      });

      it('lets exactly one of 10 concurrent takers have an interaction, and removes it', async () => {
        await storage.interactions.insert({ idHash: 't1', params: { a: 1 }, expiresAt: NOW + 60 });
        const taken = await Promise.all(Array.from({ length: 10 }, () => storage.interactions.take('t1')));
        expect(taken.filter(Boolean)).toEqual([{ idHash: 't1', params: { a: 1 }, expiresAt: NOW + 60 }]);
        expect(await storage.interactions.get('t1')).toBeUndefined();
        expect(await storage.interactions.take('nope')).toBeUndefined();
      });
    });

    describe('connections', () => {
      it('has the password database, enabled for no client of a new database', async () => {
        const database = await storage.connections.get(DATABASE_CONNECTION);
        expect(database).toMatchObject({
          name: DATABASE_CONNECTION,
          strategy: 'database',
          enabledClients: [],
        });
      });

      it('returns an inserted connection as it was given, with its clients, and lists by name', async () => {
        await storage.clients.insert(client({ clientId: 'c-1' }));
        await storage.clients.insert(client({ clientId: 'c-2' }));
        const guild = connection({ name: 'guild', enabledClients: ['c-2', 'c-1'] });
        await storage.connections.insert(guild);
        expect(await storage.connections.get('guild')).toEqual({ ...guild, enabledClients: ['c-1', 'c-2'] });
        expect((await storage.connections.list()).map((c) => c.name)).toEqual([DATABASE_CONNECTION, 'guild']);
        expect(await storage.connections.get('nope')).toBeUndefined();
      });

      it('rejects a second connection with the same name', async () => {
        await storage.connections.insert(connection({ name: 'guild' }));
        const error = await storage.connections
          .insert(connection({ name: 'guild' }))
          .catch((e: unknown) => e);
        expect(isUniqueViolation(error)).toBe(true);
      });

      it('enables and disables per client (idempotently), and lists what a client offers', async () => {
        await storage.clients.insert(client({ clientId: 'c-1' }));
        await storage.connections.insert(connection({ name: 'guild' }));
        await storage.connections.insert(
          connection({ name: 'github', strategy: 'oauth2', preset: 'github' }),
        );
        await storage.connections.enable('guild', 'c-1');
        await storage.connections.enable('guild', 'c-1');
        await storage.connections.enable(DATABASE_CONNECTION, 'c-1');
        expect((await storage.connections.forClient('c-1')).map((c) => c.name)).toEqual([
          DATABASE_CONNECTION,
          'guild',
        ]);
        await storage.connections.disable('guild', 'c-1');
        await storage.connections.disable('guild', 'c-1');
        expect((await storage.connections.forClient('c-1')).map((c) => c.name)).toEqual([
          DATABASE_CONNECTION,
        ]);
        expect(await storage.connections.forClient('nobody')).toEqual([]);
      });

      it('updates everything but the name and creation time, the enabled clients included', async () => {
        await storage.clients.insert(client({ clientId: 'c-1' }));
        await storage.clients.insert(client({ clientId: 'c-2' }));
        const original = connection({ name: 'guild', enabledClients: ['c-1'] });
        await storage.connections.insert(original);
        const changed = {
          ...original,
          displayName: 'Guild of Riders',
          options: { issuer: 'https://other.example/', scopes: ['openid'] },
          sealedSecret: null,
          enabledClients: ['c-2'],
          createdAt: NOW + 100,
          updatedAt: NOW + 9,
        };
        await storage.connections.update(changed);
        expect(await storage.connections.get('guild')).toEqual({ ...changed, createdAt: original.createdAt });
      });

      it('deletes a connection with its identities and client links; users stay', async () => {
        await seedUserAndClient(storage);
        await storage.connections.insert(connection({ name: 'guild', enabledClients: ['client-1'] }));
        await storage.identities.insert(identity({ connection: 'guild' }));
        await storage.connections.delete('guild');
        expect(await storage.connections.get('guild')).toBeUndefined();
        expect(await storage.identities.forUser('user-1')).toEqual([]);
        expect(await storage.connections.forClient('client-1')).toEqual([]);
        expect(await storage.users.get('user-1')).toBeDefined();
      });

      it('forgets a deleted client in every connection', async () => {
        await storage.clients.insert(client({ clientId: 'c-1' }));
        await storage.connections.insert(connection({ name: 'guild', enabledClients: ['c-1'] }));
        await storage.clients.delete('c-1');
        expect((await storage.connections.get('guild'))?.enabledClients).toEqual([]);
      });
    });

    describe('identities', () => {
      it("returns an inserted identity as it was given, and a user's identities oldest first", async () => {
        await seedUserAndClient(storage);
        await storage.connections.insert(connection({ name: 'guild' }));
        await storage.connections.insert(connection({ name: 'github', strategy: 'oauth2' }));
        const later = identity({
          connection: 'github',
          upstreamId: '12345',
          provider: 'github',
          createdAt: NOW + 1,
        });
        const first = identity({ connection: 'guild' });
        await storage.identities.insert(later);
        await storage.identities.insert(first);
        expect(await storage.identities.get('guild', first.upstreamId)).toEqual(first);
        expect(await storage.identities.get('guild', 'nope')).toBeUndefined();
        expect(await storage.identities.forUser('user-1')).toEqual([first, later]);
      });

      it("refuses an upstream account that is already someone's", async () => {
        await seedUserAndClient(storage);
        await storage.users.insert(user({ id: 'user-2', email: 'two@example.com', username: null }));
        await storage.connections.insert(connection({ name: 'guild' }));
        await storage.identities.insert(identity({ connection: 'guild' }));
        const error = await storage.identities
          .insert(identity({ connection: 'guild', userId: 'user-2' }))
          .catch((e: unknown) => e);
        expect(isUniqueViolation(error)).toBe(true);
      });

      it('updates the profile and tokens, deletes one identity, and goes with its user', async () => {
        await seedUserAndClient(storage);
        await storage.connections.insert(connection({ name: 'guild' }));
        const original = identity({ connection: 'guild' });
        await storage.identities.insert(original);
        const changed = {
          ...original,
          profileData: { name: 'New' },
          sealedTokens: 'sealed',
          updatedAt: NOW + 3,
        };
        await storage.identities.update(changed);
        expect(await storage.identities.get('guild', original.upstreamId)).toEqual(changed);
        await storage.identities.delete('guild', original.upstreamId);
        expect(await storage.identities.forUser('user-1')).toEqual([]);
        await storage.identities.insert(original);
        await storage.users.delete('user-1');
        expect(await storage.identities.get('guild', original.upstreamId)).toBeUndefined();
      });
    });

    describe('logs', () => logsContract(() => storage));

    describe('transaction', () => {
      it('commits what the function wrote and returns its result', async () => {
        const result = await storage.transaction(async (tx) => {
          await tx.users.insert(user({ id: 'u-1' }));
          await tx.roles.upsert({ id: 'rol_admin', name: 'admin', description: 'A', permissions: [] });
          return 'done';
        });
        expect(result).toBe('done');
        expect(await storage.users.get('u-1')).toBeDefined();
        expect(await storage.roles.get('admin')).toBeDefined();
      });

      it('rolls back everything when the function throws', async () => {
        await seedUserAndClient(storage);
        await storage.codes.insert(code({ codeHash: 'c1' }));
        const failure = new Error('boom');

        const outcome = storage.transaction(async (tx) => {
          await tx.users.insert(user({ id: 'u-2', email: 'two@example.com', username: null }));
          expect(await tx.codes.consume('c1', NOW)).toBe(true);
          await tx.refreshTokens.insert(refreshToken({ tokenHash: 'r1', familyId: 'f1' }));
          await tx.revocations.add({ kind: 'jti', value: 'j', notBefore: NOW, expiresAt: NOW + 60 });
          throw failure;
        });

        await expect(outcome).rejects.toBe(failure);
        expect(await storage.users.get('u-2')).toBeUndefined();
        expect((await storage.codes.get('c1'))?.consumedAt).toBeNull();
        expect(await storage.refreshTokens.get('r1')).toBeUndefined();
        expect(await storage.revocations.since(0, 10)).toEqual([]);
      });

      it('joins the open transaction when called inside one', async () => {
        const outcome = storage.transaction(async (tx) => {
          await tx.transaction(async (inner) => {
            await inner.users.insert(user({ id: 'u-1' }));
          });
          throw new Error('outer fails');
        });
        await expect(outcome).rejects.toThrow('outer fails');
        expect(await storage.users.get('u-1')).toBeUndefined();
      });
    });
  });
}

async function seedUserAndClient(storage: Storage): Promise<void> {
  await storage.users.insert(user({ id: 'user-1' }));
  await storage.clients.insert(client({ clientId: 'client-1' }));
}

function client(overrides: Partial<Client> = {}): Client {
  return {
    clientId: 'client-1',
    name: 'Dragons',
    type: 'web',
    secretHash: 'a'.repeat(64),
    redirectUris: ['https://app.example/callback', 'http://localhost:4200/callback'],
    allowedOrigins: ['https://app.example'],
    postLogoutRedirectUris: ['https://app.example/'],
    apis: ['https://dragons.example/api'],
    apiScopes: {},
    thirdParty: false,
    legacyImplicit: false,
    createdAt: NOW,
    ...overrides,
  };
}

function api(overrides: Partial<Api> = {}): Api {
  return {
    identifier: 'https://dragons.example/api',
    name: 'Dragons API',
    signingAlg: 'RS256',
    rbac: true,
    skipConsent: true,
    scopes: ['read:dragons', 'read:orders'],
    scopeDescriptions: {},
    accessTokenTtl: 600,
    encryption: null,
    createdAt: NOW,
    ...overrides,
  };
}

function user(overrides: Partial<User> = {}): User {
  return {
    id: 'user-1',
    email: 'ada@example.com',
    username: 'ada',
    passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$salt$hash',
    name: 'Ada Lovelace',
    nickname: 'ada',
    picture: 'https://img.example/ada.png',
    givenName: 'Ada',
    familyName: 'Lovelace',
    locale: 'en-GB',
    emailVerified: true,
    blocked: false,
    createdAt: NOW,
    updatedAt: NOW,
    ...overrides,
  };
}

function signingKey(overrides: Partial<SigningKey> = {}): SigningKey {
  return {
    kid: 'k-1',
    alg: 'RS256',
    status: 'current',
    privateJwk: { kty: 'RSA', n: 'n', e: 'AQAB', d: 'd', p: 'p', q: 'q' },
    publicJwk: { kty: 'RSA', n: 'n', e: 'AQAB' },
    createdAt: NOW,
    activatedAt: NOW,
    retiredAt: null,
    ...overrides,
  };
}

function code(overrides: Partial<AuthorizationCode> = {}): AuthorizationCode {
  return {
    codeHash: 'c1',
    clientId: 'client-1',
    userId: 'user-1',
    redirectUri: 'https://app.example/callback',
    scope: 'openid profile read:dragons',
    audience: 'https://dragons.example/api',
    nonce: 'n-0S6_WzA2Mj',
    codeChallenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    authTime: NOW - 30,
    sid: 'sid-1',
    expiresAt: NOW + 60,
    consumedAt: null,
    issuedJti: null,
    issuedFamilyId: null,
    ...overrides,
  };
}

function refreshToken(overrides: Partial<RefreshToken> = {}): RefreshToken {
  return {
    tokenHash: 'r1',
    familyId: 'f1',
    clientId: 'client-1',
    userId: 'user-1',
    scope: 'openid offline_access',
    audience: 'https://dragons.example/api',
    sid: 'sid-1',
    authTime: NOW - 30,
    createdAt: NOW,
    expiresAt: NOW + 86_400,
    spentAt: null,
    successorHash: null,
    sealedResponse: null,
    ...overrides,
  };
}

function connection(overrides: Partial<Connection> = {}): Connection {
  return {
    name: 'guild',
    strategy: 'oidc',
    preset: null,
    displayName: 'Dragon Riders Guild',
    options: { issuer: 'https://guild.example/', clientId: 'warden', scopes: ['openid', 'profile', 'email'] },
    sealedSecret: 'sealed-secret',
    enabledClients: [],
    createdAt: NOW,
    updatedAt: NOW,
    ...overrides,
  };
}

function identity(overrides: Partial<Identity> = {}): Identity {
  return {
    connection: 'guild',
    upstreamId: 'rider-7',
    provider: 'oidc',
    userId: 'user-1',
    profileData: { name: 'Ada', email: 'ada@guild.example', nested: { list: [1, 'two'] } },
    sealedTokens: null,
    createdAt: NOW,
    updatedAt: NOW,
    ...overrides,
  };
}
