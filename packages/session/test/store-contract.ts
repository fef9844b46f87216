import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { hashSessionId } from '../src/session-id.js';
import {
  createSessionManager,
  type SessionManager,
  type SessionManagerOptions,
} from '../src/session-manager.js';
import type { SessionRecord, SessionStore } from '../src/session-store.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** Manager settings used by the contract: 1 h idle, 4 h absolute, touch at most once a minute. */
const IDLE_S = 3600;
const ABSOLUTE_S = 4 * 3600;

/** Where the suite's fake clock starts (`WARDEN_TEST_EPOCH`, see vitest.config.ts). */
const epoch = inject('testEpoch');

/** A live session record, an hour from idle expiry and four from absolute expiry; `overrides` replace fields. */
export function sampleRecord(overrides: Partial<SessionRecord> = {}): SessionRecord {
  const base = epoch;
  return {
    idHash: hashSessionId(`id-${Math.random()}`),
    sid: 'sid-1',
    userId: 'user-1',
    createdAt: base,
    lastSeenAt: base,
    idleExpiresAt: base + HOUR,
    absoluteExpiresAt: base + 4 * HOUR,
    data: {},
    version: 1,
    ...overrides,
  };
}

/**
 * The one suite every `SessionStore` must pass. `makeStore` returns a fresh, empty store; the suite
 * closes it after each test. Expiry is driven by a fake clock that starts at the test epoch and
 * only moves forward; a store never reads a clock of its own (a Redis TTL is set relative to the
 * times it is handed), so it agrees with that clock whatever the real date is.
 */
export function runSessionStoreContract(name: string, makeStore: () => Promise<SessionStore>): void {
  describe(`SessionStore contract: ${name}`, () => {
    let store: SessionStore;
    let now: number;
    let manager: SessionManager;

    beforeEach(async () => {
      store = await makeStore();
      now = epoch;
      manager = managerOver(store);
    });

    afterEach(async () => {
      await store.close?.();
    });

    function managerOver(target: SessionStore, options: Partial<SessionManagerOptions> = {}): SessionManager {
      return createSessionManager({
        store: target,
        idleTimeout: IDLE_S,
        absoluteTimeout: ABSOLUTE_S,
        touchInterval: 60,
        clock: () => now,
        ...options,
      });
    }

    const record = sampleRecord;

    describe('store', () => {
      it('reads back what it created, JSON data included', async () => {
        const created = record({ data: { name: 'Zoë', nested: { list: [1, 'two', null, true] } } });
        await store.create(created);
        expect(await store.get(created.idHash)).toEqual(created);
      });

      it('returns undefined for an unknown hash', async () => {
        expect(await store.get(hashSessionId('nobody'))).toBeUndefined();
      });

      it('hands out copies: changing a returned record changes nothing stored', async () => {
        const created = record({ data: { role: 'user' } });
        await store.create(created);
        created.data.role = 'admin';
        const read = await store.get(created.idHash);
        read!.data.role = 'admin';
        expect((await store.get(created.idHash))!.data).toEqual({ role: 'user' });
      });

      it('refuses a second record under the same hash', async () => {
        const created = record();
        await store.create(created);
        await expect(store.create({ ...created, userId: 'user-2' })).rejects.toThrow();
        expect((await store.get(created.idHash))!.userId).toBe('user-1');
      });

      it('touch moves lastSeenAt and idleExpiresAt forward, never back, and keeps data and version', async () => {
        const created = record({ data: { a: 1 } });
        await store.create(created);
        await store.touch(created.idHash, created.lastSeenAt + MINUTE, created.idleExpiresAt + MINUTE);
        await store.touch(created.idHash, created.lastSeenAt, created.idleExpiresAt);
        const read = await store.get(created.idHash);
        expect(read).toEqual({
          ...created,
          lastSeenAt: created.lastSeenAt + MINUTE,
          idleExpiresAt: created.idleExpiresAt + MINUTE,
        });
      });

      it('update is compare-and-set on the version', async () => {
        const created = record({ data: { a: 1 } });
        await store.create(created);
        expect(await store.update(created.idHash, { a: 2 }, 1)).toBe(true);
        expect(await store.update(created.idHash, { a: 3 }, 1)).toBe(false);
        const read = await store.get(created.idHash);
        expect(read).toMatchObject({ data: { a: 2 }, version: 2, idleExpiresAt: created.idleExpiresAt });
      });

      it('touch and update never create a record that does not exist', async () => {
        const ghost = record();
        await store.touch(ghost.idHash, ghost.lastSeenAt, ghost.idleExpiresAt);
        expect(await store.update(ghost.idHash, { a: 1 }, 1)).toBe(false);
        expect(await store.get(ghost.idHash)).toBeUndefined();
        expect(await store.listForUser(ghost.userId)).toEqual([]);
      });

      it('destroy removes the record, and a touch or update arriving afterwards leaves it absent', async () => {
        const created = record();
        await store.create(created);
        await store.destroy(created.idHash);
        await store.touch(created.idHash, created.lastSeenAt + MINUTE, created.idleExpiresAt + MINUTE);
        expect(await store.update(created.idHash, { revived: true }, 1)).toBe(false);
        expect(await store.get(created.idHash)).toBeUndefined();
        await expect(store.destroy(created.idHash)).resolves.toBe(false);
      });

      it('destroy says whether the record existed', async () => {
        const created = record();
        await store.create(created);
        expect(await store.destroy(created.idHash)).toBe(true);
        expect(await store.destroy(created.idHash)).toBe(false);
      });

      it('of concurrent compare-and-sets from one version, exactly one wins', async () => {
        const created = record();
        await store.create(created);
        const results = await Promise.all(
          Array.from({ length: 10 }, (_, i) => store.update(created.idHash, { writer: i }, 1)),
        );
        expect(results.filter(Boolean)).toHaveLength(1);
        const winner = results.indexOf(true);
        expect(await store.get(created.idHash)).toMatchObject({ data: { writer: winner }, version: 2 });
      });

      it('touches and updates in flight at once both survive', async () => {
        const created = record({ data: { n: 0 } });
        await store.create(created);
        for (let n = 1; n <= 10; n++) {
          const [, updated] = await Promise.all([
            store.touch(created.idHash, created.lastSeenAt + n * MINUTE, created.idleExpiresAt + n * MINUTE),
            store.update(created.idHash, { n }, n),
          ]);
          expect(updated).toBe(true);
        }
        expect(await store.get(created.idHash)).toEqual({
          ...created,
          lastSeenAt: created.lastSeenAt + 10 * MINUTE,
          idleExpiresAt: created.idleExpiresAt + 10 * MINUTE,
          data: { n: 10 },
          version: 11,
        });
      });

      it('create replacing a record removes it in the same step', async () => {
        const old = record({ sid: 'old' });
        const stranger = record({ userId: 'user-2' });
        await store.create(old);
        await store.create(stranger);
        const next = record({ sid: 'new' });
        expect(await store.create(next, { replaces: old.idHash })).toEqual({ created: true, evicted: [] });
        expect(await store.get(old.idHash)).toBeUndefined();
        expect(await store.get(next.idHash)).toEqual(next);
        expect((await store.listForUser('user-1')).map((r) => r.sid)).toEqual(['new']);
        expect(await store.get(stranger.idHash)).toEqual(stranger);
      });

      it('create replacing a record that is gone stores nothing', async () => {
        const gone = record();
        const next = record();
        expect(await store.create(next, { replaces: gone.idHash })).toEqual({ created: false, evicted: [] });
        expect(await store.get(next.idHash)).toBeUndefined();
        expect(await store.listForUser('user-1')).toEqual([]);
      });

      it('a create refused as a duplicate removes nothing it was asked to replace', async () => {
        const old = record();
        const existing = record();
        await store.create(old);
        await store.create(existing);
        await expect(store.create({ ...existing }, { replaces: old.idHash })).rejects.toThrow();
        expect(await store.get(old.idHash)).toEqual(old);
        expect(await store.get(existing.idHash)).toEqual(existing);
      });

      it("create with maxPerUser evicts the user's least recently seen records, expired ones first", async () => {
        const base = epoch;
        const expired = record({ sid: 'expired', lastSeenAt: base - 3 * HOUR, idleExpiresAt: base - 1 });
        const oldest = record({ sid: 'oldest', lastSeenAt: base - 2 * HOUR, data: { x: 1 } });
        const older = record({ sid: 'older', lastSeenAt: base - HOUR });
        const recent = record({ sid: 'recent', lastSeenAt: base - MINUTE });
        const stranger = record({ userId: 'user-2', lastSeenAt: base - 5 * HOUR });
        for (const r of [expired, oldest, older, recent, stranger]) await store.create(r);
        const next = record({ sid: 'next', createdAt: base, lastSeenAt: base });
        const result = await store.create(next, { maxPerUser: 2 });
        expect(result.created).toBe(true);
        expect(result.evicted).toEqual([oldest, older]);
        expect((await store.listForUser('user-1')).map((r) => r.sid).sort()).toEqual(['next', 'recent']);
        expect(await store.get(expired.idHash)).toBeUndefined();
        expect(await store.get(stranger.idHash)).toEqual(stranger);
        expect((await store.create(record({ sid: 'more' }), { maxPerUser: 3 })).evicted).toEqual([]);
      });

      it('holds maxPerUser under a burst of concurrent creates, evicting each record at most once', async () => {
        const burst = Array.from({ length: 8 }, (_, i) => record({ sid: `s${i}`, lastSeenAt: epoch + i }));
        const results = await Promise.all(burst.map((r) => store.create(r, { maxPerUser: 3 })));
        expect(results.every((r) => r.created)).toBe(true);
        const remaining = (await store.listForUser('user-1')).map((r) => r.sid);
        const evicted = results.flatMap((r) => r.evicted.map((e) => e.sid));
        expect(remaining).toHaveLength(3);
        expect([...remaining, ...evicted].sort()).toEqual(burst.map((r) => r.sid).sort());
      });

      it("lists one user's records only", async () => {
        const mine = [record({ sid: 'a' }), record({ sid: 'b' })];
        for (const r of [...mine, record({ userId: 'user-2' })]) await store.create(r);
        const listed = await store.listForUser('user-1');
        expect(listed.map((r) => r.sid).sort()).toEqual(['a', 'b']);
        expect(await store.listForUser('user-3')).toEqual([]);
      });

      it("destroys all of one user's records except one, and counts them", async () => {
        const keep = record();
        const others = [record(), record()];
        const stranger = record({ userId: 'user-2' });
        for (const r of [keep, ...others, stranger]) await store.create(r);
        expect(await store.destroyAllForUser('user-1', keep.idHash)).toBe(2);
        expect((await store.listForUser('user-1')).map((r) => r.idHash)).toEqual([keep.idHash]);
        expect(await store.get(stranger.idHash)).toBeDefined();
        expect(await store.destroyAllForUser('user-1')).toBe(1);
        expect(await store.listForUser('user-1')).toEqual([]);
      });

      it('deleteExpired removes idle- and absolute-expired records and counts them', async () => {
        const at = epoch + HOUR;
        const idleExpired = record({ idleExpiresAt: at, absoluteExpiresAt: at + HOUR });
        const absoluteExpired = record({ idleExpiresAt: at + HOUR, absoluteExpiresAt: at });
        const live = record({ idleExpiresAt: at + 1, absoluteExpiresAt: at + HOUR });
        for (const r of [idleExpired, absoluteExpired, live]) await store.create(r);
        expect(await store.deleteExpired(at)).toBe(2);
        expect(await store.get(idleExpired.idHash)).toBeUndefined();
        expect(await store.get(absoluteExpired.idHash)).toBeUndefined();
        expect(await store.get(live.idHash)).toBeDefined();
      });
    });

    describe('through the session manager', () => {
      it('creates a session that loads by id and by Cookie header', async () => {
        const { id, record: created, cookie } = await manager.create('user-1', { theme: 'dark' });
        const header = `other=1; ${cookie.split(';')[0]}`;
        expect(await manager.load(id)).toEqual(created);
        expect(await manager.load(header)).toEqual(created);
        expect((await store.get(hashSessionId(id)))!.data).toEqual({ theme: 'dark' });
      });

      it('touches at most once per touch interval', async () => {
        const { id } = await manager.create('user-1');
        const idHash = hashSessionId(id);
        const before = await store.get(idHash);
        now += 30_000;
        await manager.load(id);
        expect(await store.get(idHash)).toEqual(before);
        now += 31_000;
        const loaded = await manager.load(id);
        const stored = await store.get(idHash);
        expect(stored).toMatchObject({ lastSeenAt: now, idleExpiresAt: now + IDLE_S * 1000 });
        expect(loaded).toEqual(stored);
      });

      it('ends a session left idle past the idle timeout and removes it', async () => {
        const { id } = await manager.create('user-1');
        now += IDLE_S * 1000 - 1;
        expect(await manager.load(id)).toBeDefined();
        now += IDLE_S * 1000;
        expect(await manager.load(id)).toBeUndefined();
        expect(await store.get(hashSessionId(id))).toBeUndefined();
      });

      it('ends a session at the absolute timeout even when it is used all along', async () => {
        const { id } = await manager.create('user-1');
        for (let elapsed = 0; elapsed < ABSOLUTE_S * 1000 - 30 * MINUTE; elapsed += 30 * MINUTE) {
          now += 30 * MINUTE;
          expect(await manager.load(id)).toBeDefined();
        }
        const last = await store.get(hashSessionId(id));
        expect(last!.idleExpiresAt).toBeLessThanOrEqual(last!.absoluteExpiresAt);
        now += 30 * MINUTE;
        expect(await manager.load(id)).toBeUndefined();
        expect(await store.get(hashSessionId(id))).toBeUndefined();
      });

      it('rotates the id: the new one works, the old one is gone, data and sid carried', async () => {
        const old = await manager.create('user-1', { cart: ['sword'] });
        now += MINUTE;
        const rotated = await manager.rotate(old.id);
        expect(rotated!.id).not.toBe(old.id);
        expect(await manager.load(old.id)).toBeUndefined();
        expect(await store.get(hashSessionId(old.id))).toBeUndefined();
        expect(await manager.load(rotated!.id)).toMatchObject({
          userId: 'user-1',
          sid: old.record.sid,
          data: { cart: ['sword'] },
          createdAt: now,
          absoluteExpiresAt: now + ABSOLUTE_S * 1000,
        });
      });

      it('rotating to another user gives a new sid; rotating a dead id gives nothing', async () => {
        const old = await manager.create('user-1');
        const rotated = await manager.rotate(old.id, 'user-2');
        expect(rotated!.record).toMatchObject({ userId: 'user-2' });
        expect(rotated!.record.sid).not.toBe(old.record.sid);
        expect(await manager.rotate(old.id)).toBeUndefined();
      });

      it('destroys a session', async () => {
        const { id } = await manager.create('user-1');
        await manager.destroy(id);
        expect(await manager.load(id)).toBeUndefined();
        expect(await store.get(hashSessionId(id))).toBeUndefined();
      });

      it("lists a user's live sessions, most recently seen first", async () => {
        await manager.create('user-1'); // idles out below
        now += 30 * MINUTE;
        const first = await manager.create('user-1');
        now += MINUTE;
        const second = await manager.create('user-1');
        await manager.create('user-2');
        now += 31 * MINUTE;
        await manager.load(first.id);
        const listed = await manager.listForUser('user-1');
        expect(listed.map((r) => r.sid)).toEqual([first.record.sid, second.record.sid]);
      });

      it("destroys all of a user's sessions except the current one", async () => {
        const current = await manager.create('user-1');
        const others = [await manager.create('user-1'), await manager.create('user-1')];
        const stranger = await manager.create('user-2');
        expect(await manager.destroyAllForUser('user-1', current.id)).toBe(2);
        for (const other of others) expect(await manager.load(other.id)).toBeUndefined();
        expect(await manager.load(current.id)).toBeDefined();
        expect(await manager.load(stranger.id)).toBeDefined();
      });

      it("destroys the user's other sessions given the current one", async () => {
        const current = await manager.create('user-1');
        const other = await manager.create('user-1');
        const stranger = await manager.create('user-2');
        expect(await manager.destroyOthers(current.id)).toBe(1);
        expect(await manager.load(other.id)).toBeUndefined();
        expect(await manager.load(current.id)).toBeDefined();
        expect(await manager.load(stranger.id)).toBeDefined();
        await manager.destroy(current.id);
        expect(await manager.destroyOthers(current.id)).toBeUndefined();
      });

      it('with maxSessionsPerUser, a new sign-in ends the least recently seen session', async () => {
        const capped = managerOver(store, { maxSessionsPerUser: 2 });
        const first = await capped.create('user-1');
        now += MINUTE;
        const second = await capped.create('user-1');
        now += 2 * MINUTE;
        await capped.load(first.id); // first is now the more recently seen
        now += MINUTE;
        const third = await capped.create('user-1');
        expect(third.evicted.map((r) => r.sid)).toEqual([second.record.sid]);
        expect((await capped.listForUser('user-1')).map((r) => r.sid)).toEqual([
          third.record.sid,
          first.record.sid,
        ]);
        expect(await capped.load(second.id)).toBeUndefined();
        expect(await capped.load(first.id)).toBeDefined();
        const rotated = await capped.rotate(first.id);
        expect(rotated!.evicted).toEqual([]);
        expect(await capped.load(third.id)).toBeDefined();
        expect(await capped.listForUser('user-1')).toHaveLength(2);
      });

      it('destroys one session by its public sid, only among that user', async () => {
        const mine = await manager.create('user-1');
        const theirs = await manager.create('user-2');
        expect(await manager.destroyBySid('user-1', theirs.record.sid)).toBe(false);
        expect(await manager.destroyBySid('user-1', mine.record.sid)).toBe(true);
        expect(await manager.load(mine.id)).toBeUndefined();
        expect(await manager.load(theirs.id)).toBeDefined();
      });

      it('loses no write when 20 updates run concurrently', async () => {
        const { id } = await manager.create('user-1', { start: true });
        const keys = Array.from({ length: 20 }, (_, i) => `k${i}`);
        await Promise.all(keys.map((key) => manager.update(id, (data) => ({ ...data, [key]: true }))));
        const stored = await store.get(hashSessionId(id));
        expect(Object.keys(stored!.data).sort()).toEqual(['start', ...keys].sort());
        expect(stored!.version).toBe(21);
      });

      it('never revives a session destroyed while a load (due a touch) was in flight', async () => {
        const { id } = await manager.create('user-1');
        const paused = pauseFirstGet(store);
        now += 2 * MINUTE;
        const loading = managerOver(paused.store).load(id);
        await paused.reached;
        await manager.destroy(id);
        paused.release();
        await loading;
        expect(await store.get(hashSessionId(id))).toBeUndefined();
        expect(await manager.load(id)).toBeUndefined();
      });

      it('never leaves a session behind when a rotation races a destroy', async () => {
        const { id } = await manager.create('user-1');
        const paused = pauseFirstGet(store);
        const rotating = managerOver(paused.store).rotate(id);
        await paused.reached;
        await manager.destroy(id);
        paused.release();
        expect(await rotating).toBeUndefined();
        expect(await store.listForUser('user-1')).toEqual([]);
      });

      it('never leaves a session behind when a rotation races "log out everywhere"', async () => {
        const { id } = await manager.create('user-1');
        await manager.create('user-1');
        const paused = pauseFirstGet(store);
        const rotating = managerOver(paused.store).rotate(id);
        await paused.reached;
        expect(await manager.destroyAllForUser('user-1')).toBe(2);
        paused.release();
        expect(await rotating).toBeUndefined();
        expect(await store.listForUser('user-1')).toEqual([]);
      });

      it('never revives a session destroyed while an update was in flight', async () => {
        const { id } = await manager.create('user-1');
        const paused = pauseFirstGet(store);
        const updating = managerOver(paused.store).update(id, (data) => ({ ...data, late: true }));
        await paused.reached;
        await manager.destroy(id);
        paused.release();
        expect(await updating).toBeUndefined();
        expect(await store.get(hashSessionId(id))).toBeUndefined();
        expect(await manager.listForUser('user-1')).toEqual([]);
      });
    });
  });
}

/** Wraps `store` so the first `get` holds its answer until `release()` is called. */
function pauseFirstGet(store: SessionStore): {
  store: SessionStore;
  reached: Promise<void>;
  release: () => void;
} {
  let signalReached!: () => void;
  let release!: () => void;
  const reached = new Promise<void>((resolve) => {
    signalReached = resolve;
  });
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  let first = true;
  const wrapped: SessionStore = {
    create: (record, options) => store.create(record, options),
    get: async (idHash) => {
      const result = await store.get(idHash);
      if (first) {
        first = false;
        signalReached();
        await gate;
      }
      return result;
    },
    touch: (idHash, lastSeenAt, idleExpiresAt) => store.touch(idHash, lastSeenAt, idleExpiresAt),
    update: (idHash, data, version) => store.update(idHash, data, version),
    destroy: (idHash) => store.destroy(idHash),
    destroyAllForUser: (userId, except) => store.destroyAllForUser(userId, except),
    listForUser: (userId) => store.listForUser(userId),
    deleteExpired: (at) => store.deleteExpired(at),
  };
  return { store: wrapped, reached, release };
}
