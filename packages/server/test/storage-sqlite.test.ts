import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStorage } from '../src/storage/open-storage.js';
import { runStorageContract } from './storage-contract.js';

const tmpDirs: string[] = [];

function freshDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'warden-storage-'));
  tmpDirs.push(dir);
  return dir;
}

afterEach(() => {
  for (const dir of tmpDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

runStorageContract('SQLite file', async () => {
  const opened = await openStorage({ sqliteFile: join(freshDir(), 'warden.db') });
  return { storage: opened.storage, close: opened.close };
});

runStorageContract('SQLite :memory:', async () => {
  const opened = await openStorage({ sqliteFile: ':memory:' });
  return { storage: opened.storage, close: opened.close };
});

describe('openStorage (SQLite)', () => {
  it('creates the parent directories and opens the file in WAL mode with foreign keys on', async () => {
    const file = join(freshDir(), 'nested', 'deeper', 'warden.db');
    const opened = await openStorage({ sqliteFile: file });
    try {
      expect(opened.dialect).toBe('sqlite');
      expect(existsSync(file)).toBe(true);
      expect(opened.sqlite?.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(opened.sqlite?.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(opened.sqlite?.pragma('busy_timeout', { simple: true })).toBeGreaterThan(0);
    } finally {
      await opened.close();
    }
  });

  it('keeps data across reopening, and migrating again changes nothing', async () => {
    const file = join(freshDir(), 'warden.db');
    const first = await openStorage({ sqliteFile: file });
    await first.storage.revocations.add({ kind: 'all', value: '*', notBefore: 1, expiresAt: 2 });
    await first.close();

    const second = await openStorage({ sqliteFile: file });
    try {
      expect(await second.storage.revocations.since(0, 10)).toEqual([
        { seq: 1, kind: 'all', value: '*', notBefore: 1, expiresAt: 2 },
      ]);
    } finally {
      await second.close();
    }
  });

  it('lets two connections to one file consume a code exactly once between them', async () => {
    const file = join(freshDir(), 'warden.db');
    const a = await openStorage({ sqliteFile: file });
    const b = await openStorage({ sqliteFile: file });
    try {
      await a.storage.users.insert({
        id: 'u',
        email: 'u@example.com',
        username: null,
        passwordHash: 'h',
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
      });
      await a.storage.clients.insert({
        clientId: 'c',
        name: 'C',
        type: 'spa',
        secretHash: null,
        redirectUris: [],
        allowedOrigins: [],
        postLogoutRedirectUris: [],
        apis: [],
        apiScopes: {},
        thirdParty: false,
        legacyImplicit: false,
        createdAt: 1,
      });
      await a.storage.codes.insert({
        codeHash: 'code',
        clientId: 'c',
        userId: 'u',
        redirectUri: 'https://app.example/cb',
        scope: 'openid',
        audience: null,
        nonce: null,
        codeChallenge: null,
        authTime: 1,
        sid: 's',
        expiresAt: 100,
        consumedAt: null,
        issuedJti: null,
        issuedFamilyId: null,
      });
      const results = await Promise.all([
        a.storage.codes.consume('code', 2),
        b.storage.codes.consume('code', 2),
        a.storage.codes.consume('code', 2),
        b.storage.codes.consume('code', 2),
      ]);
      expect(results.filter(Boolean)).toHaveLength(1);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('closes once, however often close is called', async () => {
    const opened = await openStorage({ sqliteFile: ':memory:' });
    await opened.storage.close();
    await opened.close();
    expect(opened.sqlite?.open).toBe(false);
  });

  it('rejects a database URL that is not PostgreSQL, and a schema without PostgreSQL', async () => {
    await expect(openStorage({ databaseUrl: 'mysql://localhost/db' })).rejects.toThrow(/databaseUrl/);
    await expect(openStorage({ databaseUrl: 'not a url' })).rejects.toThrow(/databaseUrl/);
    await expect(openStorage({ sqliteFile: ':memory:', schema: 'x' })).rejects.toThrow(TypeError);
  });
});
