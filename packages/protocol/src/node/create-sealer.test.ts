import { describe, expect, it } from 'vitest';
import { createSealer } from './create-sealer.js';

const secret = new Uint8Array(32).fill(1);

describe('createSealer', () => {
  it('opens what it sealed, and the sealed text does not show the value', () => {
    const sealer = createSealer(secret, 'test');
    const sealed = sealer.seal({ state: 'visible-state' });
    expect(sealed).not.toContain('visible-state');
    expect(sealer.open(sealed)).toEqual({ state: 'visible-state' });
    expect(sealer.seal({ a: 1 })).not.toBe(sealer.seal({ a: 1 }));
  });

  it('refuses a changed byte, another purpose, another secret and garbage', () => {
    const sealed = createSealer(secret, 'test').seal({ a: 1 });
    const flipped = `${sealed.slice(0, 20)}${sealed[20] === 'A' ? 'B' : 'A'}${sealed.slice(21)}`;
    expect(createSealer(secret, 'test').open(flipped)).toBeUndefined();
    expect(createSealer(secret, 'other').open(sealed)).toBeUndefined();
    expect(createSealer(new Uint8Array(32).fill(2), 'test').open(sealed)).toBeUndefined();
    for (const garbage of [undefined, '', 'AAAA', '!!!', 'x'.repeat(5000)]) {
      expect(createSealer(secret, 'test').open(garbage)).toBeUndefined();
    }
  });

  it('opens longer values only up to maxSealedLength, and takes a string secret', () => {
    const big = { body: 'z'.repeat(6000) };
    const sealer = createSealer('a string secret of enough entropy for a test', 'test', {
      maxSealedLength: 10_000,
    });
    expect(sealer.open(sealer.seal(big))).toEqual(big);
    expect(
      createSealer('a string secret of enough entropy for a test', 'test').open(sealer.seal(big)),
    ).toBeUndefined();
    expect(() => createSealer(secret, 'test', { maxSealedLength: 0 })).toThrow(TypeError);
  });
});
