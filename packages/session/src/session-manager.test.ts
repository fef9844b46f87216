import { createHash } from 'node:crypto';
import { OAuthError } from '@warden/protocol/core';
import { describe, expect, it } from 'vitest';
import { createMemoryStore } from './memory-store.js';
import {
  createSessionManager,
  type SessionManagerOptions,
  sessionManagerDefaults,
} from './session-manager.js';
import type { SessionStore } from './session-store.js';
import { SessionStoreUnavailableError } from './session-store-unavailable-error.js';

/** Splits a Set-Cookie value into its pair and attributes (names lower-cased). */
function readSetCookie(setCookie: string) {
  const [pair, ...rest] = setCookie.split('; ');
  const eq = pair!.indexOf('=');
  const attributes = new Map<string, string | true>();
  for (const part of rest) {
    const at = part.indexOf('=');
    attributes.set(
      (at === -1 ? part : part.slice(0, at)).toLowerCase(),
      at === -1 ? true : part.slice(at + 1),
    );
  }
  return { name: pair!.slice(0, eq), value: pair!.slice(eq + 1), attributes };
}

/** A memory store that records every argument it receives, as JSON. */
function recordingStore(): { store: SessionStore; seen: string[]; calls: string[] } {
  const inner = createMemoryStore();
  const seen: string[] = [];
  const calls: string[] = [];
  const store = {} as Record<string, unknown>;
  for (const [name, method] of Object.entries(inner)) {
    store[name] = (...args: unknown[]) => {
      calls.push(name);
      seen.push(JSON.stringify(args));
      return (method as (...a: unknown[]) => unknown)(...args);
    };
  }
  return { store: store as unknown as SessionStore, seen, calls };
}

function manager(options: Partial<SessionManagerOptions> = {}) {
  return createSessionManager({ store: createMemoryStore(), ...options });
}

describe('createSessionManager: the cookie', () => {
  it('is __Host- prefixed, HttpOnly, Secure, SameSite=Lax, Path=/, host-only, lasting the absolute timeout', async () => {
    const { id, cookie } = await manager().create('user-1');
    const { name, value, attributes } = readSetCookie(cookie);
    expect(name).toBe('__Host-warden_session');
    expect(value).toBe(id);
    expect(attributes.get('httponly')).toBe(true);
    expect(attributes.get('secure')).toBe(true);
    expect(attributes.get('samesite')).toBe('Lax');
    expect(attributes.get('path')).toBe('/');
    expect(attributes.has('domain')).toBe(false);
    expect(attributes.get('max-age')).toBe(String(7 * 24 * 3600));
  });

  it('drops Secure and the __Host- prefix only when secure is explicitly false', async () => {
    const { cookie } = await manager({ secure: false }).create('user-1');
    const { name, attributes } = readSetCookie(cookie);
    expect(name).toBe('warden_session');
    expect(attributes.has('secure')).toBe(false);
    expect(attributes.get('httponly')).toBe(true);
  });

  it('is cleared on destroy with the same name and attributes', async () => {
    const sessions = manager();
    const { id } = await sessions.create('user-1');
    const { name, value, attributes } = readSetCookie(await sessions.destroy(id));
    expect([name, value]).toEqual(['__Host-warden_session', '']);
    expect(attributes.get('max-age')).toBe('0');
    expect(attributes.get('path')).toBe('/');
    expect(attributes.get('secure')).toBe(true);
    expect(await sessions.destroy(undefined)).toBe(sessions.clearCookie);
  });
});

describe('createSessionManager: the id', () => {
  it('carries 256 random bits, base64url, different every time', async () => {
    const sessions = manager();
    const ids = await Promise.all(Array.from({ length: 50 }, () => sessions.create('user-1')));
    for (const { id } of ids) {
      expect(id).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(id, 'base64url')).toHaveLength(32);
    }
    expect(new Set(ids.map(({ id }) => id)).size).toBe(50);
  });

  it('comes from the random option, 32 bytes at a time', async () => {
    const requested: number[] = [];
    const sessions = manager({
      random: (bytes) => {
        requested.push(bytes);
        return new Uint8Array(bytes).fill(0xff);
      },
    });
    const { id } = await sessions.create('user-1');
    expect(id).toBe(`${'_'.repeat(42)}8`);
    expect(requested).toContain(32);
  });

  it('refuses to issue an id when random returns too few bytes', async () => {
    const sessions = manager({ random: () => new Uint8Array(8) });
    await expect(sessions.create('user-1')).rejects.toThrow(/random/);
  });

  it('reaches the store only as its SHA-256: the store never sees the raw id', async () => {
    const { store, seen } = recordingStore();
    let now = 1_000_000;
    const sessions = createSessionManager({ store, clock: () => now });
    const first = await sessions.create('user-1', { a: 1 });
    expect(first.record.idHash).toBe(createHash('sha256').update(first.id).digest('base64url'));
    now += 120_000;
    await sessions.load(first.id);
    await sessions.load(first.cookie.split(';')[0]);
    await sessions.update(first.id, (data) => ({ ...data, b: 2 }));
    const second = await sessions.rotate(first.id);
    const third = await sessions.create('user-1');
    await sessions.destroyAllForUser('user-1', third.id);
    await sessions.destroy(third.id);
    expect(seen.length).toBeGreaterThan(8);
    for (const id of [first.id, second!.id, third.id]) {
      expect(seen.join('\n')).not.toContain(id);
    }
  });
});

describe('createSessionManager: load', () => {
  it('refuses malformed ids and cookies without asking the store', async () => {
    const { store, calls } = recordingStore();
    const sessions = createSessionManager({ store });
    const inputs = [
      undefined,
      null,
      '',
      'short',
      '!'.repeat(43),
      'a'.repeat(44),
      'x'.repeat(100_000),
      '__Host-warden_session=short',
      `__Host-warden_session=${'a'.repeat(42)}=`,
      `warden_session=${'a'.repeat(43)}`,
    ];
    for (const input of inputs) expect(await sessions.load(input)).toBeUndefined();
    expect(calls).toEqual([]);
  });

  it('finds the session in a Cookie header among other cookies', async () => {
    const sessions = manager();
    const { id, record } = await sessions.create('user-1');
    expect(sessions.readCookie(`theme=dark; __Host-warden_session=${id}; lang=en`)).toBe(id);
    expect(await sessions.load(`theme=dark; __Host-warden_session=${id}`)).toEqual(record);
    expect(sessions.readCookie(`__Host-warden_session=${id.slice(1)}`)).toBeUndefined();
  });

  it('keeps the idle expiry within the absolute one', async () => {
    let now = 0;
    const sessions = manager({ idleTimeout: 3600, absoluteTimeout: 5400, clock: () => now });
    const { id } = await sessions.create('user-1');
    now = 3000_000;
    const record = await sessions.load(id);
    expect(record!.idleExpiresAt).toBe(5_400_000);
    now = 5_400_000;
    expect(await sessions.load(id)).toBeUndefined();
  });
  it('ends a session past its absolute expiry even when the stored idle expiry is later', async () => {
    const store = createMemoryStore();
    let now = 0;
    const sessions = createSessionManager({ store, clock: () => now });
    const { id, record } = await sessions.create('user-1');
    await store.touch(record.idHash, 0, record.absoluteExpiresAt + 3600_000);
    now = record.absoluteExpiresAt;
    expect(await sessions.load(id)).toBeUndefined();
    expect(await store.get(record.idHash)).toBeUndefined();
  });
});

describe('createSessionManager: update', () => {
  it('hands mutate a copy and returns the stored result', async () => {
    const sessions = manager();
    const { id } = await sessions.create('user-1', { list: [1] });
    const updated = await sessions.update(id, (data) => {
      (data.list as number[]).push(2);
      return data;
    });
    expect(updated).toMatchObject({ data: { list: [1, 2] }, version: 2 });
    expect((await sessions.load(id))!.data).toEqual({ list: [1, 2] });
  });

  it('refuses data that JSON cannot carry, naming the culprit', async () => {
    const sessions = manager();
    const { id } = await sessions.create('user-1');
    await expect(sessions.update(id, () => ({ big: 1n }))).rejects.toThrow(/^mutate:/);
    await expect(sessions.create('user-1', [] as unknown as Record<string, unknown>)).rejects.toThrow(
      /^data:/,
    );
  });

  it('returns undefined for a session that does not exist', async () => {
    expect(await manager().update('a'.repeat(43), (data) => data)).toBeUndefined();
  });
});

describe('createSessionManager: options', () => {
  const store = createMemoryStore();

  it('uses the documented defaults and freezes what it resolved', () => {
    const sessions = createSessionManager({ store });
    expect(sessions.config).toEqual({
      cookieName: '__Host-warden_session',
      secure: true,
      idleTimeout: 86_400,
      absoluteTimeout: 604_800,
      touchInterval: 60,
      sameSite: 'Lax',
    });
    expect(sessionManagerDefaults.idleTimeout).toBe(86_400);
    expect(Object.isFrozen(sessions)).toBe(true);
    expect(Object.isFrozen(sessions.config)).toBe(true);
  });

  it.each([
    ['store', { store: {} }],
    ['secure', { store, secure: 'yes' }],
    ['cookieName', { store, cookieName: 'bad name' }],
    ['cookieName', { store, secure: false, cookieName: '__Host-x' }],
    ['sameSite', { store, sameSite: 'lax' }],
    ['sameSite', { store, secure: false, sameSite: 'None' }],
    ['idleTimeout', { store, idleTimeout: 0 }],
    ['idleTimeout', { store, idleTimeout: 1.5 }],
    ['absoluteTimeout', { store, idleTimeout: 3600, absoluteTimeout: 60 }],
    ['touchInterval', { store, idleTimeout: 60, touchInterval: 60 }],
    ['touchInterval', { store, touchInterval: -1 }],
    ['clock', { store, clock: 5 }],
    ['random', { store, random: 'x' }],
    ['maxSessionsPerUser', { store, maxSessionsPerUser: 0 }],
    ['maxSessionsPerUser', { store, maxSessionsPerUser: 2.5 }],
  ])('throws a TypeError naming %s', (option, options) => {
    expect(() => createSessionManager(options as unknown as SessionManagerOptions)).toThrow(
      new RegExp(`^${option}:`),
    );
    expect(() => createSessionManager(options as unknown as SessionManagerOptions)).toThrow(TypeError);
  });

  it('rejects an empty user id', async () => {
    await expect(createSessionManager({ store }).create('')).rejects.toThrow(/^userId:/);
  });
});

describe('createSessionManager: a store that is down', () => {
  /** A memory store whose methods all fail with `error` while `down.value` is true. */
  function flakyStore(error: Error) {
    const inner = createMemoryStore();
    const down = { value: false };
    const store = {} as Record<string, unknown>;
    for (const [name, method] of Object.entries(inner)) {
      store[name] = (...args: unknown[]) =>
        down.value ? Promise.reject(error) : (method as (...a: unknown[]) => unknown)(...args);
    }
    return { store: store as unknown as SessionStore, down };
  }

  it('fails closed with temporarily_unavailable (503) on every call, and works again once it is back', async () => {
    const outage = new SessionStoreUnavailableError('redis did not answer within 1000 ms');
    const { store, down } = flakyStore(outage);
    const sessions = createSessionManager({ store });
    const { id } = await sessions.create('user-1');
    down.value = true;
    const calls = [
      sessions.create('user-1'),
      sessions.load(id),
      sessions.rotate(id),
      sessions.update(id, (data) => data),
      sessions.destroy(id),
      sessions.destroyAllForUser('user-1'),
      sessions.destroyOthers(id),
      sessions.destroyBySid('user-1', 'sid'),
      sessions.listForUser('user-1'),
      sessions.deleteExpired(),
    ];
    for (const call of calls) {
      const error = await call.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(OAuthError);
      expect(error).toMatchObject({ error: 'temporarily_unavailable', status: 503, cause: outage });
    }
    down.value = false;
    expect(await sessions.load(id)).toMatchObject({ userId: 'user-1' });
  });

  it('lets other store errors through unchanged', async () => {
    const bug = new Error('disk I/O error');
    const { store, down } = flakyStore(bug);
    const sessions = createSessionManager({ store });
    down.value = true;
    await expect(sessions.create('user-1')).rejects.toBe(bug);
  });
});
