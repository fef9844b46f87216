import { describe, expect, it } from 'vitest';
import { createMemoryStore } from './memory-store.js';
import type { SessionRecord } from './session-store.js';

function record(n: number, expiresAt: number, createdAt = 0): SessionRecord {
  return {
    idHash: `hash-${n}`,
    sid: `sid-${n}`,
    userId: `user-${n % 3}`,
    createdAt,
    lastSeenAt: createdAt,
    idleExpiresAt: expiresAt,
    absoluteExpiresAt: expiresAt + 1000,
    data: {},
    version: 1,
  };
}

describe('createMemoryStore', () => {
  it("removes records expired at the new record's creation a few at a time as new ones are created", async () => {
    const store = createMemoryStore({ sweepBatch: 4 });
    for (let n = 0; n < 20; n++) await store.create(record(n, 100));
    for (let n = 20; n < 30; n++) await store.create(record(n, 1000, 100));
    // 10 creates x 4 examined = 40 >= 30 entries: the cursor has walked past every dead record.
    for (let n = 0; n < 20; n++) expect(await store.get(`hash-${n}`)).toBeUndefined();
    for (let n = 20; n < 30; n++) expect(await store.get(`hash-${n}`)).toBeDefined();
    expect(await store.listForUser('user-0')).toHaveLength(3);
  });

  it('sweeps nothing when sweepBatch is 0', async () => {
    const store = createMemoryStore({ sweepBatch: 0 });
    await store.create(record(1, 10));
    await store.create(record(2, 100, 50));
    expect(await store.get('hash-1')).toBeDefined();
    expect(await store.deleteExpired(50)).toBe(1);
  });

  it('validates its options', () => {
    expect(() => createMemoryStore({ sweepBatch: -1 })).toThrow(/^sweepBatch:/);
  });
});
