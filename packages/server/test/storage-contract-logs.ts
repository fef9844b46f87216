/**
 * The `Storage['logs']` part of the storage contract (`storage-contract.ts` runs it against every
 * database): append, get, checkpoint and page listing with filters, counting, and the purge.
 */
import { expect, it } from 'vitest';
import type { LogEntry, NewLogEntry, Storage } from '../src/storage/storage.js';

const T0 = Date.UTC(2024, 4, 1);
const MINUTE = 60_000;

function entry(overrides: Partial<NewLogEntry> = {}): NewLogEntry {
  return {
    date: T0,
    type: 's',
    description: 'Success Login',
    clientId: 'client-1',
    clientName: 'Dragons',
    connection: 'Username-Password-Authentication',
    userId: 'user-1',
    userName: 'user@example.com',
    ip: '203.0.113.7',
    userAgent: 'Browser/1.0',
    details: null,
    ...overrides,
  };
}

/** Appends `count` entries a minute apart; returns them as stored. */
async function appendMany(
  storage: Storage,
  count: number,
  make = (i: number) => entry({ date: T0 + i * MINUTE }),
) {
  const stored: LogEntry[] = [];
  for (let i = 0; i < count; i += 1) stored.push(await storage.logs.append(make(i)));
  return stored;
}

export function logsContract(current: () => Storage): void {
  it('appends an entry and gives it back by its log id, details included', async () => {
    const storage = current();
    const details = { reason: 'wrong password', nested: { list: [1, 'two'] } };
    const stored = await storage.logs.append(entry({ type: 'fp', details }));
    expect(stored).toEqual({ ...entry({ type: 'fp', details }), logId: stored.logId });
    expect(await storage.logs.get(stored.logId)).toEqual(stored);
    const bare = await storage.logs.append({
      ...entry(),
      description: null,
      clientId: null,
      clientName: null,
      connection: null,
      userId: null,
      userName: null,
      ip: null,
      userAgent: null,
    });
    expect(await storage.logs.get(bare.logId)).toEqual(bare);
    expect(await storage.logs.get('99999999999999999999')).toBeUndefined();
    expect(await storage.logs.get('not-a-log-id')).toBeUndefined();
  });

  it('gives log ids of fixed-width digits that sort in the order entries were written', async () => {
    const storage = current();
    // Dates out of order: the id follows the writing, not the date.
    const stored = await appendMany(storage, 12, (i) => entry({ date: T0 - i * MINUTE }));
    const ids = stored.map((log) => log.logId);
    expect(new Set(ids).size).toBe(12);
    for (const id of ids) expect(id).toMatch(/^[0-9]{20}$/);
    expect([...ids].sort()).toEqual(ids);
  });

  it('lists by checkpoint: the newest first without from, then everything after from, oldest first', async () => {
    const storage = current();
    const stored = await appendMany(storage, 25);
    expect(await storage.logs.listFrom({ take: 3 })).toEqual(stored.slice(-3).reverse());

    const seen: LogEntry[] = [];
    let from = stored[0]!.logId;
    seen.push(stored[0]!);
    for (;;) {
      const page = await storage.logs.listFrom({ from, take: 10 });
      if (page.length === 0) break;
      expect(page.length).toBeLessThanOrEqual(10);
      seen.push(...page);
      from = page.at(-1)!.logId;
    }
    expect(seen).toEqual(stored);
    expect(await storage.logs.listFrom({ from: stored.at(-1)!.logId, take: 100 })).toEqual([]);
  });

  it('refuses a take outside 1-100 and a from that is not a log id', async () => {
    const storage = current();
    await expect(storage.logs.listFrom({ take: 0 })).rejects.toThrow(TypeError);
    await expect(storage.logs.listFrom({ take: 101 })).rejects.toThrow(TypeError);
    await expect(storage.logs.listFrom({ take: 1.5 })).rejects.toThrow(TypeError);
    await expect(storage.logs.listFrom({ from: "1' or 1=1", take: 10 })).rejects.toThrow(TypeError);
    await expect(storage.logs.listPage({ page: 0, perPage: 101 })).rejects.toThrow(TypeError);
    await expect(storage.logs.listPage({ page: -1, perPage: 10 })).rejects.toThrow(TypeError);
  });

  it('filters on each field, values of one field as alternatives, conditions all together', async () => {
    const storage = current();
    const a = await storage.logs.append(entry({ type: 's', userId: 'u-a', ip: '192.0.2.1' }));
    const b = await storage.logs.append(
      entry({ type: 'fp', userId: 'u-b', clientId: 'client-2', clientName: 'Other', date: T0 + MINUTE }),
    );
    const c = await storage.logs.append(
      entry({ type: 'fu', userId: null, userName: 'nobody', connection: 'guild', date: T0 + 2 * MINUTE }),
    );
    const cases: [Parameters<Storage['logs']['count']>[0], LogEntry[]][] = [
      [[{ field: 'type', anyOf: ['fp', 'fu'] }], [b, c]],
      [[{ field: 'userId', anyOf: ['u-a'] }], [a]],
      [[{ field: 'userName', anyOf: ['nobody'] }], [c]],
      [[{ field: 'clientId', anyOf: ['client-2'] }], [b]],
      [[{ field: 'clientName', anyOf: ['Dragons'] }], [a, c]],
      [[{ field: 'connection', anyOf: ['guild'] }], [c]],
      [[{ field: 'ip', anyOf: ['192.0.2.1'] }], [a]],
      [[{ field: 'type', anyOf: [] }], []],
      [[{ field: 'date', from: T0 + MINUTE }], [b, c]],
      [[{ field: 'date', to: T0 + MINUTE }], [a, b]],
      [[{ field: 'date', from: T0 + MINUTE, to: T0 + MINUTE }], [b]],
      [
        [
          { field: 'type', anyOf: ['s', 'fu'] },
          { field: 'date', from: T0 + 1 },
        ],
        [c],
      ],
      [[], [a, b, c]],
    ];
    for (const [filter, expected] of cases) {
      const label = JSON.stringify(filter);
      expect(await storage.logs.listFrom({ take: 100, filter }), label).toEqual([...expected].reverse());
      expect(await storage.logs.listFrom({ from: '0', take: 100, filter }), label).toEqual(expected);
      expect(await storage.logs.listPage({ page: 0, perPage: 100, ascending: true, filter }), label).toEqual(
        expected,
      );
      expect(await storage.logs.count(filter), label).toBe(expected.length);
    }
  });

  it('lists by page, newest first or oldest first, and counts', async () => {
    const storage = current();
    const stored = await appendMany(storage, 7);
    const newest = [...stored].reverse();
    expect(await storage.logs.listPage({ page: 0, perPage: 3 })).toEqual(newest.slice(0, 3));
    expect(await storage.logs.listPage({ page: 2, perPage: 3 })).toEqual(newest.slice(6));
    expect(await storage.logs.listPage({ page: 3, perPage: 3 })).toEqual([]);
    expect(await storage.logs.listPage({ page: 1, perPage: 3, ascending: true })).toEqual(stored.slice(3, 6));
    expect(await storage.logs.count()).toBe(7);
  });

  it('deletes entries dated before a time, and never gives a deleted id again', async () => {
    const storage = current();
    const stored = await appendMany(storage, 5);
    expect(await storage.logs.deleteOlderThan(T0 + 2 * MINUTE)).toBe(2);
    expect(await storage.logs.listFrom({ from: '0', take: 100 })).toEqual(stored.slice(2));
    expect(await storage.logs.deleteOlderThan(T0 + 100 * MINUTE)).toBe(3);
    const next = await storage.logs.append(entry());
    expect(next.logId > stored.at(-1)!.logId).toBe(true);
  });

  it('gives concurrent appends distinct ids, all visible in id order', async () => {
    const storage = current();
    const stored = await Promise.all(
      Array.from({ length: 20 }, (_, i) => storage.logs.append(entry({ userId: `u-${i}` }))),
    );
    expect(new Set(stored.map((log) => log.logId)).size).toBe(20);
    const listed = await storage.logs.listFrom({ from: '0', take: 100 });
    expect(listed.map((log) => log.logId)).toEqual(stored.map((log) => log.logId).sort());
  });
}
