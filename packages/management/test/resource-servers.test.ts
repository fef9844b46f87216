import { decodeJwt } from '@warden/protocol';
import { describe, expect, it } from 'vitest';
import { apiId, issuer, signInWithCode } from '../../server/test/harness.js';
import { clientCredentials, exchangeCode } from '../../server/test/token-helpers.js';
import { MANAGEMENT_SCOPES } from '../src/index.js';
import { expectManagementError, storages, useManagementWorld } from './management-world.js';

interface ResourceServer {
  id: string;
  identifier: string;
  name: string;
  is_system: boolean;
  signing_alg: string;
  scopes: { value: string; description?: string }[];
  token_lifetime: number;
  enforce_policies: boolean;
  token_dialect: string;
}

const ledger = 'https://ledger.example/api/';
const path = (identifier: string) => `/resource-servers/${encodeURIComponent(identifier)}`;

describe.each(storages())('resource servers on $name', ({ databaseUrl, skip }) => {
  describe.skipIf(skip)('', () => {
    const w = useManagementWorld({ databaseUrl });

    it("creates the article's API (name, identifier, RS256) with scopes and descriptions", async () => {
      const response = await w().call('POST', '/resource-servers', {
        body: {
          name: 'Ledger API',
          identifier: ledger,
          signing_alg: 'RS256',
          scopes: [{ value: 'read:ledger', description: 'Read the ledger' }, { value: 'write:ledger' }],
          token_lifetime: 300,
          skip_consent_for_verifiable_first_party_clients: true,
        },
      });
      expect(response.status).toBe(201);
      const api = (await response.json()) as ResourceServer;
      expect(api).toEqual({
        id: ledger,
        identifier: ledger,
        name: 'Ledger API',
        is_system: false,
        signing_alg: 'RS256',
        scopes: [{ value: 'read:ledger', description: 'Read the ledger' }, { value: 'write:ledger' }],
        token_lifetime: 300,
        enforce_policies: false,
        token_dialect: 'rfc9068_profile',
        skip_consent_for_verifiable_first_party_clients: true,
        allow_offline_access: true,
      });
      expect(await (await w().call('GET', path(ledger))).json()).toEqual(api);
      expect(await w().t.admin.getApi(ledger)).toMatchObject({
        scopes: ['read:ledger', 'write:ledger'],
        scopeDescriptions: { 'read:ledger': 'Read the ledger' },
        accessTokenTtl: 300,
      });
    });

    it('refuses an identifier in use with 409', async () => {
      const response = await w().call('POST', '/resource-servers', { body: { identifier: apiId } });
      expect(await expectManagementError(response, 409, 'resource_server_conflict')).toBe(
        `API ${apiId} already exists`,
      );
      const own = await w().call('POST', '/resource-servers', { body: { identifier: w().audience } });
      await expectManagementError(own, 409, 'resource_server_conflict');
    });

    it('lists the APIs with the management API among them (is_system), and filters by identifier', async () => {
      const all = (await (await w().call('GET', '/resource-servers')).json()) as ResourceServer[];
      expect(all.map((api) => [api.identifier, api.is_system]).sort()).toEqual([
        [w().audience, true],
        [apiId, false],
      ]);
      expect(all.map((api) => api.identifier)).toEqual(
        (await w().t.admin.listApis()).map((api) => api.identifier),
      );
      const management = all.find((api) => api.is_system)!;
      expect(management.scopes.map((scope) => scope.value)).toEqual(
        MANAGEMENT_SCOPES.map((scope) => scope.value),
      );
      expect(management).toMatchObject({ signing_alg: 'RS256', name: 'Warden Management API' });
      const one = await w().call(
        'GET',
        `/resource-servers?identifiers=${encodeURIComponent(apiId)}&include_totals=true`,
      );
      expect(await one.json()).toMatchObject({ total: 1, resource_servers: [{ identifier: apiId }] });
    });

    it('updates name, scopes, lifetime, algorithm and RBAC; tokens follow', async () => {
      const response = await w().call('PATCH', path(apiId), {
        body: {
          name: 'Dragons',
          scopes: [{ value: 'read:dragons', description: 'See dragons' }, { value: 'feed:dragons' }],
          token_lifetime: 120,
          signing_alg: 'ES256',
          enforce_policies: false,
          token_dialect: 'access_token',
        },
      });
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({
        name: 'Dragons',
        scopes: [{ value: 'read:dragons', description: 'See dragons' }, { value: 'feed:dragons' }],
        token_lifetime: 120,
        signing_alg: 'ES256',
        enforce_policies: false,
        token_dialect: 'rfc9068_profile',
      });
      const token = (await (await clientCredentials(w().t, { audience: apiId })).json()) as {
        access_token: string;
        expires_in: number;
        scope: string;
      };
      expect(token.expires_in).toBe(120);
      expect(token.scope).toBe('read:dragons feed:dragons');
      expect(JSON.parse(Buffer.from(token.access_token.split('.')[0]!, 'base64url').toString()).alg).toBe(
        'ES256',
      );
    });

    it('puts the permissions in user tokens with access_token_authz, and leaves them out without', async () => {
      const userToken = async () => {
        const flow = await signInWithCode(w().t, { login: 'admin@example.com', scope: 'openid read:orders' });
        const body = (await (await exchangeCode(w().t, flow)).json()) as { access_token: string };
        return decodeJwt(body.access_token).payload;
      };
      expect(await userToken()).toMatchObject({ permissions: ['read:orders'] });
      const off = await w().call('PATCH', path(apiId), { body: { token_dialect: 'access_token' } });
      expect(await off.json()).toMatchObject({ enforce_policies: false, token_dialect: 'rfc9068_profile' });
      expect(await userToken()).not.toHaveProperty('permissions');
      const on = await w().call('PATCH', path(apiId), {
        body: { enforce_policies: true, token_dialect: 'access_token_authz' },
      });
      expect(await on.json()).toMatchObject({
        enforce_policies: true,
        token_dialect: 'rfc9068_profile_authz',
      });
      expect(await userToken()).toMatchObject({ permissions: ['read:orders'] });
    });

    it("turns 'Allow Skipping User Consent' off and on: first-party users are asked for consent while it is off", async () => {
      const off = await w().call('PATCH', path(apiId), {
        body: { skip_consent_for_verifiable_first_party_clients: false },
      });
      expect(await off.json()).toMatchObject({ skip_consent_for_verifiable_first_party_clients: false });
      expect(await w().t.admin.getApi(apiId)).toMatchObject({ skipConsent: false });
      // The first-party Dragons SPA's sign-in now stops at the consent page instead of a code.
      await expect(signInWithCode(w().t)).rejects.toThrow(new RegExp(`no code: 303 ${issuer}u/consent\\?`));
      const on = await w().call('PATCH', path(apiId), {
        body: { skip_consent_for_verifiable_first_party_clients: true },
      });
      expect(await on.json()).toMatchObject({ skip_consent_for_verifiable_first_party_clients: true });
      expect((await signInWithCode(w().t)).code).toBeTruthy();
    });

    it('refuses what Warden cannot do, naming the field', async () => {
      const cases: [Record<string, unknown>, RegExp][] = [
        [
          { skip_consent_for_verifiable_first_party_clients: 'no' },
          /on property skip_consent_for_verifiable_first_party_clients/,
        ],
        [{ allow_offline_access: false }, /on property allow_offline_access/],
        [{ signing_alg: 'HS256' }, /on property signing_alg/],
        [{ enforce_policies: true, token_dialect: 'access_token' }, /on property token_dialect/],
        [{ enforce_policies: false, token_dialect: 'rfc9068_profile_authz' }, /on property token_dialect/],
        [{ token_lifetime: 0 }, /on property token_lifetime/],
        [{ token_lifetime: 2_592_001 }, /on property token_lifetime/],
        [{ token_lifetime: 1.5 }, /on property token_lifetime/],
        [{ scopes: [{ value: 'bad scope' }] }, /invalid scope: bad scope/],
        [{ scopes: [{ value: 'a' }, { value: 'a' }] }, /scopes a is given twice/],
        [{ scopes: [{ name: 'a' }] }, /scopes\.0/],
        [{ identifier: 'https://else.example/' }, /identifier is an Auth0 field Warden does not support/],
        [{ signing_secret: 'x' }, /on property signing_secret/],
        [{ token_lifetime_for_web: 60 }, /on property token_lifetime_for_web/],
      ];
      for (const [body, message] of cases) {
        const response = await w().call('PATCH', path(apiId), { body });
        expect(await expectManagementError(response, 400, 'invalid_body'), JSON.stringify(body)).toMatch(
          message,
        );
      }
      const notUrl = await w().call('POST', '/resource-servers', { body: { identifier: 'ledger' } });
      expect(await expectManagementError(notUrl, 400, 'invalid_body')).toMatch(
        /identifier must be an absolute URL/,
      );
      const missing = await w().call('POST', '/resource-servers', { body: { name: 'Ledger' } });
      expect(await expectManagementError(missing, 400, 'invalid_body')).toMatch(/on property identifier/);
    });

    it('keeps the management API as it is', async () => {
      const patch = await w().call('PATCH', path(w().audience), { body: { token_lifetime: 60 } });
      expect(await expectManagementError(patch, 400, 'invalid_body')).toMatch(/built-in management API/);
      const remove = await w().call('DELETE', path(w().audience));
      await expectManagementError(remove, 400, 'invalid_body');
      expect((await w().t.admin.getApi(w().audience)).accessTokenTtl).toBe(600);
    });

    it("deletes an API with its clients' grants and role permissions; 404 afterwards", async () => {
      const response = await w().call('DELETE', path(apiId));
      expect(response.status).toBe(204);
      for (const method of ['GET', 'PATCH', 'DELETE'] as const) {
        const again = await w().call(method, path(apiId), method === 'PATCH' ? { body: { name: 'X' } } : {});
        expect(await expectManagementError(again, 404, 'inexistent_resource_server')).toBe(
          `unknown API: ${apiId}`,
        );
      }
      expect((await w().t.admin.getClient(w().t.m2m.client_id)).apis).toEqual([]);
      expect((await w().t.admin.listRoles()).find((role) => role.name === 'admin')?.permissions).toEqual([]);
      const token = await clientCredentials(w().t, { audience: apiId });
      expect(token.status).toBe(400);
      expect(issuer).toBe(w().t.issuer);
    });
  });
});
