import { describe, expect, it } from 'vitest';
import { TokenCache } from './token-cache.js';

describe('TokenCache', () => {
  it('remembers a value until its end time, exclusive', () => {
    const cache = new TokenCache<string>(10);
    cache.set('token-a', 'alice', 1000);
    expect(cache.get('token-a', 999)).toBe('alice');
    expect(cache.get('token-a', 1000)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('is keyed on the exact token string', () => {
    const cache = new TokenCache<string>(10);
    cache.set('eyJ.a.b', 'alice', 1000);
    expect(cache.get('eyJ.a.b ', 1)).toBeUndefined();
    expect(cache.get('eyJ.a.B', 1)).toBeUndefined();
    expect(cache.get('eyJ.a.b', 1)).toBe('alice');
  });

  it('holds at most maxEntries, dropping the least recently used', () => {
    const cache = new TokenCache<string>(2);
    cache.set('a', 'A', 1000);
    cache.set('b', 'B', 1000);
    expect(cache.get('a', 1)).toBe('A');
    cache.set('c', 'C', 1000);
    expect(cache.size).toBe(2);
    expect(cache.get('b', 1)).toBeUndefined();
    expect(cache.get('a', 1)).toBe('A');
    expect(cache.get('c', 1)).toBe('C');
  });

  it('stays bounded under many distinct tokens', () => {
    const cache = new TokenCache<number>(100);
    for (let i = 0; i < 10_000; i++) cache.set(`token-${i}`, i, 1000);
    expect(cache.size).toBe(100);
    expect(cache.get('token-9999', 1)).toBe(9999);
    expect(cache.get('token-0', 1)).toBeUndefined();
  });

  it('remembers nothing with maxEntries 0', () => {
    const cache = new TokenCache<string>(0);
    cache.set('a', 'A', 1000);
    expect(cache.get('a', 1)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('forgets everything on clear', () => {
    const cache = new TokenCache<string>(10);
    cache.set('a', 'A', 1000);
    cache.clear();
    expect(cache.get('a', 1)).toBeUndefined();
  });

  it('admits an offered token only when it is offered again', () => {
    const cache = new TokenCache<string>(10);
    expect(cache.offer('token-a', 'alice', 1000)).toBe(false);
    expect(cache.get('token-a', 1)).toBeUndefined();
    expect(cache.offer('token-a', 'alice', 1000)).toBe(true);
    expect(cache.get('token-a', 1)).toBe('alice');
  });

  it('stores nothing when every token is offered once', () => {
    const cache = new TokenCache<number>(100);
    for (let i = 0; i < 10_000; i++) cache.offer(`header.payload.signature-${i}`, i, 1000);
    expect(cache.size).toBe(0);
  });

  it('forgets offers on clear, and admits nothing with maxEntries 0', () => {
    const cache = new TokenCache<string>(10);
    cache.offer('a', 'A', 1000);
    cache.clear();
    expect(cache.offer('a', 'A', 1000)).toBe(false);
    const none = new TokenCache<string>(0);
    none.offer('a', 'A', 1000);
    expect(none.offer('a', 'A', 1000)).toBe(false);
    expect(none.size).toBe(0);
  });

  it('never answers for another token that ends the same way', () => {
    const cache = new TokenCache<string>(10);
    const end = 'x'.repeat(64);
    cache.set(`alice.${end}`, 'alice', 1000);
    expect(cache.get(`mallory.${end}`, 1)).toBeUndefined();
    expect(cache.get(`alice.${end}`, 1)).toBe('alice');
    cache.set(`bob.${end}`, 'bob', 1000);
    expect(cache.get(`bob.${end}`, 1)).toBe('bob');
    expect(cache.get(`alice.${end}`, 1)).toBeUndefined();
  });

  it('refuses a bad size', () => {
    expect(() => new TokenCache(-1)).toThrow(TypeError);
    expect(() => new TokenCache(1.5)).toThrow(TypeError);
  });
});
