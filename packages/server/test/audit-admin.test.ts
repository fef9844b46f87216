import { describe, expect, it } from 'vitest';
import { Admin, type AdminActor } from '../src/admin/admin.js';
import { AdminError } from '../src/admin/admin-error.js';
import { auditStorages, lastLogId, logText, onlyLog } from './audit-helpers.js';
import { apiId, type TestServer, useTestServer } from './harness.js';
import { testUpstream } from './test-upstream.js';

/**
 * Every change through `Admin` is written once as `sapi`, with who made it (the actor: its client
 * and user, IP and user agent) and the before/after of what changed, never a secret; a refused
 * one as `fapi` with why.
 */

const console_ = (t: TestServer): AdminActor => ({
  kind: 'management',
  clientId: t.m2m.client_id,
  userId: t.adminUserId,
  ip: '192.0.2.10',
  userAgent: 'WardenConsole/1.0',
});

/** Runs `change` and returns the one `type` entry it wrote. */
async function entryOf(t: TestServer, type: 'sapi' | 'fapi', change: () => Promise<unknown>) {
  const after = await lastLogId(t);
  await change().catch((error: unknown) => {
    if (type === 'sapi' || !(error instanceof AdminError)) throw error;
  });
  return onlyLog(t, type, after);
}

for (const [storage, url] of auditStorages()) {
  describe.skipIf(storage === 'PostgreSQL' && !url)(`the audit log of administration (${storage})`, () => {
    const t = useTestServer({
      overrides: { upstream: [testUpstream({})] },
      ...(url ? { databaseUrl: url } : {}),
    });

    it('names the actor: the management client and administrator, their IP and user agent', async () => {
      const admin = new Admin(t().server.context, console_(t()));
      const log = await entryOf(t(), 'sapi', () =>
        admin.addClient({ type: 'spa', name: 'Console-made', callbacks: ['https://c.example/cb'] }),
      );
      expect(log).toMatchObject({
        type: 'sapi',
        description: 'Create a client',
        clientId: t().m2m.client_id,
        clientName: 'Dragon Feeder',
        userId: t().adminUserId,
        ip: '192.0.2.10',
        userAgent: 'WardenConsole/1.0',
        details: {
          actor: { kind: 'management', client_id: t().m2m.client_id, user_id: t().adminUserId },
          before: null,
          after: { name: 'Console-made', type: 'spa', connections: ['Username-Password-Authentication'] },
        },
      });
      expect(log.details!.target).toEqual({
        client_id: (log.details!.after as { clientId: string }).clientId,
      });
    });

    it('writes the CLI as the actor when nobody else is named', async () => {
      const log = await entryOf(t(), 'sapi', () =>
        t().admin.addUser({ email: 'cli-made@example.com', password: 'long enough password' }),
      );
      expect(log).toMatchObject({
        description: 'Create a user',
        clientId: null,
        userId: null,
        ip: null,
        details: { actor: { kind: 'cli' }, before: null, after: { email: 'cli-made@example.com' } },
      });
      expect(log.details!.after).not.toHaveProperty('passwordHash');
    });

    it('records each change to a client, with the changed fields and a new secret by name only', async () => {
      const admin = new Admin(t().server.context, console_(t()));
      const id = t().web.client_id;
      const updated = await entryOf(t(), 'sapi', () => admin.updateClient(id, { name: 'Dragons Web 2' }));
      expect(updated.details).toMatchObject({
        target: { client_id: id },
        changed: ['name'],
        before: { name: 'Dragons Web' },
        after: { name: 'Dragons Web 2' },
      });
      const rotated = await entryOf(t(), 'sapi', () => admin.rotateClientSecret(id));
      expect(rotated).toMatchObject({
        description: 'Rotate a client secret',
        details: { changed: ['secretHash'], before: {}, after: {} },
      });
      const removed = await entryOf(t(), 'sapi', () => admin.removeClient(id));
      expect(removed).toMatchObject({
        description: 'Delete a client',
        details: { before: { clientId: id, name: 'Dragons Web 2' }, after: null },
      });
      expect(removed.details!.before).not.toHaveProperty('secretHash');
    });

    it('records changes to APIs, users, roles and connections', async () => {
      const admin = new Admin(t().server.context, console_(t()));
      const cases: [string, () => Promise<unknown>, Record<string, unknown>][] = [
        [
          'Create a resource server',
          () => admin.addApi({ identifier: 'https://orders.example/', scopes: ['read:orders'] }),
          { target: { api: 'https://orders.example/' }, before: null },
        ],
        [
          'Update a resource server',
          () => admin.updateApi('https://orders.example/', { name: 'Orders' }),
          { changed: ['name'], before: { name: 'https://orders.example/' }, after: { name: 'Orders' } },
        ],
        [
          'Delete a resource server',
          () => admin.removeApi('https://orders.example/'),
          { before: { identifier: 'https://orders.example/' }, after: null },
        ],
        [
          'Create or update a role',
          () => admin.addRole('auditor', 'Reads logs'),
          {
            target: { role: 'auditor' },
            before: null,
            after: { name: 'auditor', description: 'Reads logs' },
          },
        ],
        [
          'Assign a role to a user',
          () => admin.assignRole('bilbo', 'auditor'),
          {
            target: { user_id: t().userId },
            changed: ['roles'],
            before: { roles: [] },
            after: { roles: ['auditor'] },
          },
        ],
        [
          "Set a user's password",
          () => admin.setPassword('bilbo', 'a new long password'),
          { changed: ['passwordHash'] },
        ],
        ['Sign a user out everywhere', () => admin.revokeUser('bilbo'), { target: { user_id: t().userId } }],
        [
          'Create a connection',
          () => admin.addConnection({ name: 'guild', type: 'test', clientSecret: 'upstream secret 123' }),
          { target: { connection: 'guild' }, before: null, after: { name: 'guild', enabledClients: [] } },
        ],
        [
          'Update a connection',
          () =>
            admin.updateConnection('guild', {
              displayName: 'Dragon Riders Guild',
              clientSecret: 'another secret',
            }),
          {
            changed: expect.arrayContaining(['displayName', 'sealedSecret']),
            after: expect.objectContaining({ displayName: 'Dragon Riders Guild' }),
          },
        ],
        [
          'Enable a connection for a client',
          () => admin.enableConnection('guild', t().spa),
          {
            changed: ['enabledClients'],
            before: { enabledClients: [] },
            after: { enabledClients: [t().spa] },
          },
        ],
        [
          'Disable a connection for a client',
          () => admin.disableConnection('guild', t().spa),
          { changed: ['enabledClients'], after: { enabledClients: [] } },
        ],
        [
          'Delete a connection',
          () => admin.removeConnection('guild'),
          { before: { name: 'guild' }, after: null },
        ],
      ];
      for (const [description, change, details] of cases) {
        const log = await entryOf(t(), 'sapi', change);
        expect(log, description).toMatchObject({ description, details });
      }
      const text = await logText(t());
      for (const secret of ['a new long password', 'upstream secret 123', 'another secret']) {
        expect(text).not.toContain(secret);
      }
    });

    it('records key rotation and revocation with the keys before and after', async () => {
      const admin = new Admin(t().server.context, console_(t()));
      const rotated = await entryOf(t(), 'sapi', () => admin.rotateKeys());
      expect(rotated).toMatchObject({
        description: 'Rotate the signing keys',
        details: { changed: ['keys'] },
      });
      const before = rotated.details!.before as { keys: { kid: string; status: string }[] };
      const after = rotated.details!.after as { keys: { kid: string; status: string }[] };
      const next = before.keys.find((key) => key.status === 'next')!;
      expect(after.keys.find((key) => key.kid === next.kid)?.status).toBe('current');
      const retired = after.keys.find((key) => key.status === 'retired')!;
      const revoked = await entryOf(t(), 'sapi', () => admin.revokeKey(retired.kid));
      expect(revoked).toMatchObject({
        description: 'Revoke a signing key',
        details: {
          target: { kid: retired.kid },
          before: { status: 'retired' },
          after: { status: 'revoked' },
        },
      });
      const all = await entryOf(t(), 'sapi', () => admin.revokeAllKeys());
      expect(all).toMatchObject({ description: 'Revoke all signing keys', details: { changed: ['keys'] } });
      expect(await logText(t())).not.toMatch(/privateJwk|"d":/);
    });

    it('records a refused change (fapi) with the actor and why', async () => {
      const admin = new Admin(t().server.context, console_(t()));
      const invalid = await entryOf(t(), 'fapi', () =>
        admin.addClient({ type: 'spa', name: 'No callback', callbacks: [] }),
      );
      expect(invalid).toMatchObject({
        type: 'fapi',
        description: 'Create a client',
        clientId: t().m2m.client_id,
        userId: t().adminUserId,
        ip: '192.0.2.10',
        details: { actor: { kind: 'management' }, error: { type: 'invalid' } },
      });
      expect(
        await entryOf(t(), 'fapi', () => admin.setPassword('nobody@example.com', 'long enough pw')),
      ).toMatchObject({
        description: "Set a user's password",
        details: { error: { type: 'not_found', message: 'unknown user: nobody@example.com' } },
      });
      expect(
        await entryOf(t(), 'fapi', () =>
          admin.addUser({ email: 'user@example.com', password: 'long enough pw' }),
        ),
      ).toMatchObject({ description: 'Create a user', details: { error: { type: 'conflict' } } });
      expect(
        await entryOf(t(), 'fapi', () => admin.updateApi(apiId, { alg: 'HS256' as never })),
      ).toMatchObject({
        description: 'Update a resource server',
        details: { target: { api: apiId }, error: { type: 'invalid' } },
      });
    });
  });
}
