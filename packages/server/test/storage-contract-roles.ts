/**
 * The `Storage['roles']` part of the storage contract (`storage-contract.ts` runs it against every
 * database): roles with their stable ids, permissions, renames, deletion, assignments and members.
 */
import { expect, it } from 'vitest';
import { isUniqueViolation } from '../src/storage/is-unique-violation.js';
import type { Role, Storage, User } from '../src/storage/storage.js';

function role(overrides: Partial<Role> & { name: string }): Role {
  return { id: `rol_${overrides.name}`, description: '', permissions: [], ...overrides };
}

/** A user with only an id and an email (`blocked` given for storages that have it). */
function member(id: string): User {
  return {
    id,
    email: `${id}@example.com`,
    username: null,
    passwordHash: null,
    name: null,
    nickname: null,
    picture: null,
    givenName: null,
    familyName: null,
    locale: null,
    emailVerified: false,
    blocked: false,
    createdAt: 1,
    updatedAt: 1,
  } as User;
}

export function rolesContract(current: () => Storage): void {
  it('creates a role, then adds permissions without duplicating or dropping any; the id stays', async () => {
    const storage = current();
    await storage.roles.upsert(
      role({
        name: 'admin',
        description: 'Administrators',
        permissions: [{ api: 'https://dragons.example/api', permission: 'read:dragons' }],
      }),
    );
    await storage.roles.upsert(
      role({
        id: 'rol_other',
        name: 'admin',
        permissions: [
          { api: 'https://dragons.example/api', permission: 'read:dragons' },
          { api: 'https://orders.example/api', permission: 'read:orders' },
        ],
      }),
    );

    const expected = {
      id: 'rol_admin',
      name: 'admin',
      description: 'Administrators',
      permissions: [
        { api: 'https://dragons.example/api', permission: 'read:dragons' },
        { api: 'https://orders.example/api', permission: 'read:orders' },
      ],
    };
    expect(await storage.roles.get('admin')).toEqual(expected);
    expect(await storage.roles.byId('rol_admin')).toEqual(expected);
    expect(await storage.roles.get('nobody')).toBeUndefined();
    expect(await storage.roles.byId('rol_other')).toBeUndefined();
  });

  it('replaces the description when the upsert gives one', async () => {
    const storage = current();
    await storage.roles.upsert(role({ name: 'ops', description: 'Old' }));
    await storage.roles.upsert(role({ name: 'ops', description: 'New' }));
    expect((await storage.roles.get('ops'))?.description).toBe('New');
  });

  it('inserts a role with its permissions and refuses a taken name or id', async () => {
    const storage = current();
    await storage.roles.insert(role({ name: 'admin', permissions: [{ api: 'api', permission: 'write' }] }));
    expect((await storage.roles.get('admin'))?.permissions).toEqual([{ api: 'api', permission: 'write' }]);
    const sameName = await storage.roles
      .insert(role({ id: 'rol_2', name: 'admin' }))
      .catch((e: unknown) => e);
    expect(isUniqueViolation(sameName)).toBe(true);
    const sameId = await storage.roles
      .insert(role({ id: 'rol_admin', name: 'other' }))
      .catch((e: unknown) => e);
    expect(isUniqueViolation(sameId)).toBe(true);
    expect(await storage.roles.list()).toHaveLength(1);
  });

  it('lists roles by name with their permissions', async () => {
    const storage = current();
    await storage.roles.upsert(role({ name: 'viewer', description: 'V' }));
    await storage.roles.upsert(
      role({ name: 'admin', description: 'A', permissions: [{ api: 'api', permission: 'write' }] }),
    );
    expect(await storage.roles.list()).toEqual([
      {
        id: 'rol_admin',
        name: 'admin',
        description: 'A',
        permissions: [{ api: 'api', permission: 'write' }],
      },
      { id: 'rol_viewer', name: 'viewer', description: 'V', permissions: [] },
    ]);
  });

  it('assigns roles to a user (idempotently) and returns them with permissions', async () => {
    const storage = current();
    await storage.users.insert(member('u-1'));
    await storage.users.insert(member('u-2'));
    await storage.roles.upsert(
      role({
        name: 'admin',
        description: 'A',
        permissions: [
          { api: 'api', permission: 'read:orders' },
          { api: 'api', permission: 'delete:orders' },
        ],
      }),
    );
    await storage.roles.upsert(role({ name: 'customer', description: 'C' }));

    await storage.roles.assign('u-1', 'admin');
    await storage.roles.assign('u-1', 'admin');
    await storage.roles.assign('u-1', 'customer');

    expect(await storage.roles.forUser('u-1')).toEqual([
      {
        id: 'rol_admin',
        name: 'admin',
        description: 'A',
        permissions: [
          { api: 'api', permission: 'delete:orders' },
          { api: 'api', permission: 'read:orders' },
        ],
      },
      { id: 'rol_customer', name: 'customer', description: 'C', permissions: [] },
    ]);
    expect(await storage.roles.forUser('u-2')).toEqual([]);

    await storage.roles.unassign('u-1', 'admin');
    expect((await storage.roles.forUser('u-1')).map((r) => r.name)).toEqual(['customer']);
  });

  it('refuses to assign a role that does not exist', async () => {
    const storage = current();
    await storage.users.insert(member('u-1'));
    await expect(storage.roles.assign('u-1', 'ghost')).rejects.toThrow();
    expect(await storage.roles.forUser('u-1')).toEqual([]);
  });

  it('renames a role: same id, its permissions and users follow; a taken name is refused', async () => {
    const storage = current();
    await storage.users.insert(member('u-1'));
    await storage.roles.insert(role({ name: 'admin', permissions: [{ api: 'api', permission: 'write' }] }));
    await storage.roles.insert(role({ name: 'viewer' }));
    await storage.roles.assign('u-1', 'admin');

    await storage.roles.update('rol_admin', { name: 'keeper', description: 'Keeps the keys' });

    const renamed = {
      id: 'rol_admin',
      name: 'keeper',
      description: 'Keeps the keys',
      permissions: [{ api: 'api', permission: 'write' }],
    };
    expect(await storage.roles.byId('rol_admin')).toEqual(renamed);
    expect(await storage.roles.get('admin')).toBeUndefined();
    expect(await storage.roles.forUser('u-1')).toEqual([renamed]);
    expect(await storage.roles.members('keeper', { take: 10 })).toEqual({ userIds: ['u-1'], total: 1 });

    const taken = await storage.roles
      .update('rol_admin', { name: 'viewer', description: '' })
      .catch((e: unknown) => e);
    expect(isUniqueViolation(taken)).toBe(true);
    expect(await storage.roles.byId('rol_admin')).toEqual(renamed);

    await storage.roles.update('rol_admin', { name: 'keeper', description: 'Only the description' });
    expect((await storage.roles.byId('rol_admin'))?.description).toBe('Only the description');
  });

  it('deletes a role with its permissions and assignments; the users stay', async () => {
    const storage = current();
    await storage.users.insert(member('u-1'));
    await storage.roles.insert(role({ name: 'admin', permissions: [{ api: 'api', permission: 'write' }] }));
    await storage.roles.assign('u-1', 'admin');
    await storage.roles.delete('admin');
    expect(await storage.roles.get('admin')).toBeUndefined();
    expect(await storage.roles.forUser('u-1')).toEqual([]);
    expect(await storage.users.get('u-1')).toBeDefined();
    // The name is free again, without the old permissions.
    await storage.roles.insert(role({ id: 'rol_new', name: 'admin' }));
    expect((await storage.roles.get('admin'))?.permissions).toEqual([]);
  });

  it('adds and removes permissions, ignoring ones it has or lacks', async () => {
    const storage = current();
    await storage.roles.insert(role({ name: 'admin', permissions: [{ api: 'a', permission: 'x' }] }));
    await storage.roles.addPermissions('admin', [
      { api: 'a', permission: 'x' },
      { api: 'a', permission: 'y' },
      { api: 'b', permission: 'x' },
    ]);
    expect((await storage.roles.get('admin'))?.permissions).toEqual([
      { api: 'a', permission: 'x' },
      { api: 'a', permission: 'y' },
      { api: 'b', permission: 'x' },
    ]);
    await storage.roles.removePermissions('admin', [
      { api: 'a', permission: 'y' },
      { api: 'b', permission: 'x' },
      { api: 'c', permission: 'z' },
    ]);
    expect((await storage.roles.get('admin'))?.permissions).toEqual([{ api: 'a', permission: 'x' }]);
  });

  it('pages through the members of a role by offset and by checkpoint, with the total', async () => {
    const storage = current();
    await storage.roles.insert(role({ name: 'admin' }));
    await storage.roles.insert(role({ name: 'other' }));
    for (const id of ['u-1', 'u-2', 'u-3', 'u-4', 'u-5']) {
      await storage.users.insert(member(id));
      if (id !== 'u-4') await storage.roles.assign(id, 'admin');
    }
    await storage.roles.assign('u-4', 'other');

    expect(await storage.roles.members('admin', { take: 2 })).toEqual({ userIds: ['u-1', 'u-2'], total: 4 });
    expect(await storage.roles.members('admin', { take: 2, offset: 2 })).toEqual({
      userIds: ['u-3', 'u-5'],
      total: 4,
    });
    expect(await storage.roles.members('admin', { take: 2, after: 'u-2' })).toEqual({
      userIds: ['u-3', 'u-5'],
      total: 4,
    });
    expect(await storage.roles.members('admin', { take: 2, after: 'u-5' })).toEqual({
      userIds: [],
      total: 4,
    });
    expect(await storage.roles.members('ghost', { take: 2 })).toEqual({ userIds: [], total: 0 });
  });
}
