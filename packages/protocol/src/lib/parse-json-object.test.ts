import { describe, expect, test } from 'vitest';
import { hasDuplicateMember, parseJsonObject } from './parse-json-object.js';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('parseJsonObject', () => {
  test('returns the object', () => {
    expect(parseJsonObject(bytes('{"a":1,"b":{"c":[1,{"d":2}]}}'))).toEqual({
      ok: true,
      value: { a: 1, b: { c: [1, { d: 2 }] } },
    });
    expect(parseJsonObject(bytes(' \n{ "a" : "é" } '))).toEqual({ ok: true, value: { a: 'é' } });
    expect(parseJsonObject(bytes('{"a":"\\":","b" : ":","c":[{"a":"x"}]}'))).toEqual({
      ok: true,
      value: { a: '":', b: ':', c: [{ a: 'x' }] },
    });
  });

  test.each([
    ['an array', '[1]', 'not a JSON object'],
    ['null', 'null', 'not a JSON object'],
    ['a string', '"x"', 'not a JSON object'],
    ['truncated JSON', '{"a":1', 'not JSON'],
    ['a byte order mark', '\uFEFF{"a":1}', 'not JSON'],
    ['a top-level duplicate', '{"alg":"RS256","alg":"none"}', 'duplicate member name'],
    ['a nested duplicate', '{"a":{"b":1,"b":2}}', 'duplicate member name'],
    ['a duplicate spelled with an escape', '{"exp":1,"\\u0065xp":2}', 'duplicate member name'],
    ['a duplicate with whitespace before the colon', '{"a" :1,"a":2,\n"b"\t:3}', 'duplicate member name'],
    ['a duplicate beside a value holding a quote and colon', '{"a":"\\":","a":2}', 'duplicate member name'],
    ['a duplicate __proto__', '{"__proto__":1,"__proto__":2}', 'duplicate member name'],
    ['a duplicate in an object inside an array', '{"a":[1,{"b":1,"b":2}]}', 'duplicate member name'],
  ])('refuses %s', (_, text, reason) => {
    expect(parseJsonObject(bytes(text))).toEqual({ ok: false, reason });
  });

  test('refuses invalid UTF-8', () => {
    expect(parseJsonObject(new Uint8Array([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]))).toEqual({
      ok: false,
      reason: 'not UTF-8',
    });
  });
});

describe('hasDuplicateMember', () => {
  test.each([
    ['the same name in sibling objects', '{"a":{"x":1},"b":{"x":1}}'],
    ['the same name in objects inside an array', '[{"x":1},{"x":2}]'],
    ['a name repeated as a value', '{"x":"x","y":"x"}'],
    ['braces, commas and quotes inside strings', '{"a":"{\\"a\\":1,","b":"}]","c":"\\\\"}'],
    ['names after a nested array', '{"a":[1,2,{"b":1}],"b":2}'],
  ])('allows %s', (_, text) => {
    JSON.parse(text);
    expect(hasDuplicateMember(text)).toBe(false);
  });

  test('finds a duplicate after nested containers', () => {
    expect(hasDuplicateMember('{"a":[{"a":1}],"c":{"d":[]},"a":3}')).toBe(true);
  });
});
