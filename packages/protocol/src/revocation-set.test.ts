import { describe, expect, it } from 'vitest';
import { type RevocationEntry, RevocationSet } from './revocation-set.js';

let seq = 0;
const entry = (
  kind: RevocationEntry['kind'],
  value: string,
  notBefore = 100,
  expiresAt = 1000,
): RevocationEntry => ({
  seq: ++seq,
  kind,
  value,
  notBefore,
  expiresAt,
});

describe('RevocationSet', () => {
  it('revokes a listed jti and nothing else', () => {
    const set = new RevocationSet();
    set.apply([entry('jti', 'a')]);
    expect(set.isRevoked({ jti: 'a', iat: 500 })).toBe(true);
    expect(set.isRevoked({ jti: 'b', iat: 500 })).toBe(false);
  });

  it('revokes tokens of a user, session or client issued before the not-before time', () => {
    const set = new RevocationSet();
    set.apply([entry('user', 'u1'), entry('session', 's1'), entry('client', 'c1')]);
    expect(set.isRevoked({ sub: 'u1', iat: 99 })).toBe(true);
    expect(set.isRevoked({ sub: 'u1', iat: 100 })).toBe(false);
    expect(set.isRevoked({ sub: 'u2', sid: 's1', iat: 50 })).toBe(true);
    expect(set.isRevoked({ sub: 'u2', client_id: 'c1', iat: 50 })).toBe(true);
    expect(set.isRevoked({ sub: 'u2', client_id: 'c2', sid: 's2', iat: 50 })).toBe(false);
  });

  it('revokes every token signed by a revoked key, and everything before an `all` entry', () => {
    const set = new RevocationSet();
    set.apply([entry('key', 'k1')]);
    expect(set.isRevoked({ iat: 5000 }, 'k1')).toBe(true);
    expect(set.isRevoked({ iat: 5000 }, 'k2')).toBe(false);
    set.apply([entry('all', '*', 300)]);
    expect(set.isRevoked({ iat: 299 }, 'k2')).toBe(true);
    expect(set.isRevoked({ iat: 300 }, 'k2')).toBe(false);
  });

  it('ignores entries it already applied and keeps the latest sequence number', () => {
    const set = new RevocationSet();
    const first = entry('user', 'u1', 100);
    set.apply([first, entry('user', 'u1', 200)]);
    set.apply([first]);
    expect(set.lastSeq).toBe(seq);
    expect(set.isRevoked({ sub: 'u1', iat: 150 })).toBe(true);
  });

  it('forgets expired entries, so memory stays bounded', () => {
    const set = new RevocationSet();
    set.apply([entry('jti', 'old', 0, 10), entry('jti', 'new', 0, 100), entry('all', '*', 50, 10)]);
    set.prune(50);
    expect(set.size).toBe(1);
    expect(set.hasJti('old')).toBe(false);
    expect(set.hasJti('new')).toBe(true);
    expect(set.isRevoked({ iat: 1 })).toBe(false);
  });
});
