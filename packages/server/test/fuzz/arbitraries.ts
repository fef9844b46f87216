import fc from 'fast-check';

/**
 * Generators of hostile input for the fuzz suites, with nothing server-specific in them (the
 * resource suite uses them too): text, parameter lists and their encodings, header values,
 * Authorization and Cookie headers, bodies, and JSON values of the wrong type for claims.
 */

/**
 * Embedded in generated text: a page that echoes input without escaping shows `<x-fz` as markup,
 * and the quotes break out of any attribute built from it.
 */
export const MARKER = `<x-fz>"'`;

/** Characters that have broken parsers, databases, renderers and comparisons before. */
const oddCharacters = [
  '\u0000',
  '\u0001',
  '\t',
  '\n',
  '\r',
  '\u001b',
  '\u007f',
  '\u0080',
  '\u0085',
  '\u009f',
  '\u00a0',
  '\u00ad',
  '\u200b',
  '\u200d',
  '\u200e',
  '\u200f',
  '\u202e',
  '\u2066',
  '\u2028',
  '\u2029',
  '\u0301',
  '\u0338',
  'e\u0301',
  '\ufeff',
  '\ufffd',
  '\ufffe',
  '\uffff',
  '\u212b',
  '\u0130',
  '\u00df',
  '\ufb00',
  '\uff20',
  '\u0410',
  '\u05d0',
  '\u0627',
  '\u{1f409}',
  '\u{e0041}',
  '\u{10ffff}',
  '&',
  '<',
  '>',
  '"',
  "'",
  '`',
  '\\',
  '%',
  '+',
  '=',
  '?',
  '#',
  '/',
  ';',
  ',',
  ':',
  '@',
  ' ',
  '.',
  '..',
];

/**
 * Text that means something to a percent-decoder: broken escapes (`%`, `%G1`, `%2`), escapes of
 * bytes that are not UTF-8 (`%FF`, a lone lead byte, an encoded surrogate, an overlong form),
 * escapes of controls and of the form's own separators. Sent raw, they reach the server's decoder.
 */
export const percentJunk = [
  '%',
  '%%',
  '%2',
  '%G1',
  '%zz',
  '%FF',
  '%C3',
  '%C3%28',
  '%E2%82',
  '%ED%A0%80',
  '%C0%AE',
  '%F4%90%80%80',
  '%EF%BF%BF',
  '%00',
  '%0A',
  '%0D',
  '%1B',
  '%7F',
  '%C2%85',
  '%25',
  '%2B',
  '%26',
  '%3D',
  '%23',
  '%E2%80%AE',
];

/** Words with a meaning somewhere: JSON, JavaScript prototypes, SQL, paths, numbers. */
const loadedWords = [
  'null',
  'undefined',
  'true',
  'NaN',
  '-1',
  '0',
  '1e309',
  '0x10',
  '[]',
  '{}',
  '__proto__',
  'constructor',
  'toString',
  '{"$ne":null}',
  "' or 1=1 --",
  '../../etc/passwd',
  'javascript:alert(1)',
  'openid',
  'offline_access',
  'S256',
  'plain',
];

/** Any Unicode code point except a lone surrogate half (U+D800–U+DFFF). */
export const anyCodePoint: fc.Arbitrary<string> = fc
  .integer({ min: 0, max: 0x10ffff - 0x800 })
  .map((n) => String.fromCodePoint(n >= 0xd800 ? n + 0x800 : n));

const fragment: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...oddCharacters) },
  { weight: 4, arbitrary: fc.string({ unit: 'grapheme-ascii', maxLength: 8 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 3 }) },
  { weight: 2, arbitrary: anyCodePoint },
  { weight: 2, arbitrary: fc.constantFrom(...percentJunk) },
  { weight: 2, arbitrary: fc.constantFrom(...loadedWords) },
  { weight: 2, arbitrary: fc.constant(MARKER) },
);

/** Long text: a fragment repeated past the sizes the server cares about (8 KiB tokens, 64 KiB bodies). */
const longText: fc.Arbitrary<string> = fc
  .tuple(
    fc.oneof(fc.constantFrom('a', 'A', '%', '\u00e9', '\u{1f409}', MARKER)),
    fc.constantFrom(300, 2100, 8300, 70_000),
  )
  .map(([unit, length]) => unit.repeat(Math.ceil(length / unit.length)));

/**
 * Garbage text: a few fragments of odd characters, ASCII, any code point (never a lone surrogate),
 * percent-encoding junk, loaded words and the `MARKER`, now and then very long.
 */
export const garbageText: fc.Arbitrary<string> = fc.oneof(
  { weight: 12, arbitrary: fc.array(fragment, { maxLength: 8 }).map((parts) => parts.join('')) },
  { weight: 1, arbitrary: longText },
);

/** How a parameter travels: encoded as a browser would, with `+` for spaces, raw, or with raw junk spliced in. */
export type Encoding = 'component' | 'form' | 'raw' | 'spliced';

export interface Param {
  name: string;
  value: string;
  encoding: Encoding;
  /** For `spliced`: raw percent junk put in the middle of the encoded value. */
  splice?: string;
}

const encodings = fc.constantFrom<Encoding>('component', 'component', 'form', 'raw', 'spliced');

/**
 * Parameters for an endpoint: its known names (`known`) with garbage values, garbage names, a
 * known name repeated, each encoded in one of the ways above.
 */
export function paramsArbitrary(known: readonly string[]): fc.Arbitrary<Param[]> {
  const name =
    known.length > 0
      ? fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...known) }, { weight: 1, arbitrary: garbageText })
      : garbageText;
  const param = fc.record({
    name,
    value: fc.oneof({ weight: 1, arbitrary: fc.constant('') }, { weight: 8, arbitrary: garbageText }),
    encoding: encodings,
    splice: fc.constantFrom(...percentJunk),
  });
  return fc.array(param, { maxLength: 7 }).chain((params) =>
    // Now and then a parameter appears twice, with another value.
    params.length > 0 && known.length > 0
      ? fc
          .oneof(
            { weight: 4, arbitrary: fc.constant(undefined) },
            { weight: 1, arbitrary: fc.tuple(fc.nat(params.length - 1), garbageText) },
          )
          .map((repeat) => (repeat ? [...params, { ...params[repeat[0]]!, value: repeat[1] }] : params))
      : fc.constant(params),
  );
}

/** Serialises parameters as `application/x-www-form-urlencoded` text, each in its own encoding. */
export function serializeParams(params: readonly Param[]): string {
  return params.map((p) => `${encode(p.name, p)}=${encode(p.value, p)}`).join('&');
}

function encode(text: string, param: Param): string {
  switch (param.encoding) {
    case 'component':
      return encodeURIComponent(text);
    case 'form':
      return new URLSearchParams([['', text]]).toString().slice(1);
    case 'raw':
      return text;
    case 'spliced': {
      const encoded = encodeURIComponent(text);
      const at = Math.floor(encoded.length / 2);
      return `${encoded.slice(0, at)}${param.splice ?? '%'}${encoded.slice(at)}`;
    }
  }
}

/**
 * A header value `Request` accepts: Latin-1 only (0x01–0xFF without CR, LF and NUL), which
 * `Headers` trims at both ends. Up to 32 KiB now and then.
 */
export const headerText: fc.Arbitrary<string> = fc.oneof(
  { weight: 10, arbitrary: garbageText.map(toHeaderSafe) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(4 * 1024, 32 * 1024).map((size) => `${'x'.repeat(size - 6)}"\u00ff%;,=`),
  },
);

/** Maps text onto what a header value may hold: code points above 0xFF, NUL, CR and LF become bytes it may. */
export function toHeaderSafe(text: string): string {
  let out = '';
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (code === 0 || code === 0x0a || code === 0x0d) out += '\u0001';
    else if (code > 0xff) out += String.fromCharCode(0x80 + (code % 0x80));
    else out += char;
  }
  return out.slice(0, 40 * 1024);
}

/**
 * What `node:http` sends as a header value: TAB, printable ASCII and 0x80–0xFF; anything else
 * becomes `?` (for apps served over a socket).
 */
export function toNodeHeaderSafe(text: string): string {
  return toHeaderSafe(text).replace(/[^\t\x20-\x7e\x80-\xff]/g, '?');
}

/** Latin-1 text as base64 of its bytes (what a Basic header carries). */
function base64(text: string, encoding: 'latin1' | 'utf8'): string {
  return Buffer.from(text, encoding).toString('base64');
}

/** `Authorization` header values: Basic with garbage, Bearer with garbage, other schemes, or none. */
export function authorizationArbitrary(
  realClientIds: readonly string[] = [],
): fc.Arbitrary<string | undefined> {
  const id =
    realClientIds.length > 0 ? fc.oneof(fc.constantFrom(...realClientIds), garbageText) : garbageText;
  const credentials = fc
    .tuple(id, garbageText, fc.constantFrom('encoded', 'raw', 'colonless', 'only-colon'))
    .map(([user, secret, how]) => {
      switch (how) {
        case 'encoded':
          return `${encodeURIComponent(user)}:${encodeURIComponent(secret)}`;
        case 'raw':
          return `${user}:${secret}`;
        case 'colonless':
          return user.replaceAll(':', '');
        default:
          return ':';
      }
    });
  return fc.oneof(
    { weight: 3, arbitrary: fc.constant(undefined) },
    {
      weight: 3,
      arbitrary: fc
        .tuple(
          fc.constantFrom('Basic ', 'basic ', 'BASIC  ', 'Basic\t'),
          credentials,
          fc.constantFrom<'utf8' | 'latin1'>('utf8', 'latin1'),
        )
        .map(([scheme, text, encoding]) => `${scheme}${base64(text, encoding)}`),
    },
    {
      weight: 2,
      arbitrary: fc
        .tuple(fc.constantFrom('Basic', 'Bearer', 'bearer', 'DPoP', 'Digest', 'Negotiate', ''), headerText)
        .map(([scheme, rest]) => `${scheme} ${rest}`.trim()),
    },
    { weight: 1, arbitrary: headerText },
  );
}

/** `Cookie` header values: garbage pairs, quoted and unterminated values, many cookies, or none. */
export function cookieArbitrary(names: readonly string[] = []): fc.Arbitrary<string | undefined> {
  const name = names.length > 0 ? fc.oneof(fc.constantFrom(...names), headerText) : headerText;
  const pair = fc
    .tuple(name, headerText, fc.constantFrom('plain', 'quoted', 'unterminated', 'bare'))
    .map(([n, v, how]) =>
      how === 'quoted'
        ? `${n}="${v}"`
        : how === 'unterminated'
          ? `${n}="${v}`
          : how === 'bare'
            ? v
            : `${n}=${v}`,
    );
  return fc.oneof(
    { weight: 2, arbitrary: fc.constant(undefined) },
    { weight: 3, arbitrary: fc.array(pair, { minLength: 1, maxLength: 5 }).map((pairs) => pairs.join('; ')) },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(50, 400)
        .map((n) => Array.from({ length: n }, (_, i) => `c${i}=v`).join('; ')),
    },
  );
}

/** `Content-Type` values: the form type in odd spellings, other types, garbage, or none. */
export const contentTypeArbitrary: fc.Arbitrary<string | undefined> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.constantFrom(
      'application/x-www-form-urlencoded',
      'application/x-www-form-urlencoded; charset=UTF-8',
      'Application/X-WWW-Form-URLEncoded',
      'application/x-www-form-urlencoded; charset=latin1',
      'application/x-www-form-urlencoded;;;',
      ' application/x-www-form-urlencoded , text/plain',
    ),
  },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      'application/json',
      'text/plain',
      'multipart/form-data; boundary=x',
      'application/octet-stream',
      'text/html',
      '*/*',
      ';',
    ),
  },
  { weight: 1, arbitrary: headerText },
  { weight: 1, arbitrary: fc.constant(undefined) },
);

/** A body: the form as given, the same fields as JSON, random bytes, invalid UTF-8, empty, or over 64 KiB. */
export type BodyShape = 'form' | 'json' | 'binary' | 'invalid-utf8' | 'empty' | 'oversize' | 'none';

export const bodyShapeArbitrary: fc.Arbitrary<BodyShape> = fc.constantFrom<BodyShape>(
  'form',
  'form',
  'form',
  'form',
  'json',
  'binary',
  'invalid-utf8',
  'empty',
  'oversize',
  'none',
);

/** Bytes that are not UTF-8: lone lead bytes, continuation bytes, overlong forms, encoded surrogates. */
const notUtf8 = [
  [0xff],
  [0xfe, 0xff],
  [0xc3],
  [0x80],
  [0xc0, 0xae],
  [0xed, 0xa0, 0x80],
  [0xf4, 0x90, 0x80, 0x80],
];

/** Builds the body of a shape from the form text and parameters, plus random bytes for `binary`. */
export function buildBody(
  shape: BodyShape,
  formText: string,
  params: readonly Param[],
  bytes: Uint8Array,
): BodyInit | undefined {
  switch (shape) {
    case 'form':
      return formText;
    case 'json':
      return JSON.stringify(Object.fromEntries(params.map((p) => [p.name, p.value])));
    case 'binary':
      return new Uint8Array(bytes);
    case 'invalid-utf8': {
      const text = new TextEncoder().encode(formText);
      const junk = notUtf8[bytes.length % notUtf8.length]!;
      const at = Math.floor(text.length / 2);
      return new Uint8Array([...text.subarray(0, at), ...junk, ...text.subarray(at)]);
    }
    case 'empty':
      return '';
    case 'oversize':
      return `${formText}&pad=${'a'.repeat(70 * 1024)}`;
    case 'none':
      return undefined;
  }
}

/** Random bytes for binary bodies. */
export const bytesArbitrary: fc.Arbitrary<Uint8Array> = fc.uint8Array({ maxLength: 300 });

/**
 * JSON values of every type, for claims that expect one: numbers out of range or fractional,
 * strings of garbage, arrays, objects, nested junk, null and booleans.
 */
export const junkJsonValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: garbageText },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      0,
      -1,
      1.5,
      -0.5,
      1e300,
      -1e300,
      Number.MAX_SAFE_INTEGER + 2,
      2 ** 53,
      4102444800.25,
      true,
      false,
      null,
      '',
      [],
      {},
      ['openid'],
      ['openid', 'profile'],
      { openid: true },
      [null],
      [1, 2],
      [[]],
      { toString: 'x' },
      JSON.parse('{"__proto__":{"admin":true}}') as unknown,
    ),
  },
  { weight: 1, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }) },
  { weight: 1, arbitrary: fc.array(garbageText, { maxLength: 4 }) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
);

/** A value for `claim`: mostly junk of the wrong type, sometimes `undefined` (the claim is removed). */
export function junkClaims(claimNames: readonly string[]): fc.Arbitrary<Record<string, unknown>> {
  return fc.dictionary(
    fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...claimNames) }, { weight: 1, arbitrary: garbageText }),
    fc.oneof({ weight: 8, arbitrary: junkJsonValue }, { weight: 1, arbitrary: fc.constant(undefined) }),
    { maxKeys: 4 },
  );
}

/**
 * A payload text that is not a claims object at all: JSON of another type, broken JSON, duplicate
 * keys, numbers JSON cannot hold, deep nesting, a prototype key. Signed with a real key, it tests
 * what a verifier does after the signature passed.
 */
export const oddPayloadText: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '[]',
    'null',
    '1',
    '"x"',
    'true',
    '',
    '{',
    '{"sub":"a",}',
    '{"exp":1e400}',
    '{"exp":-1e400,"sub":"a"}',
    '{"sub":"a","sub":{"x":1}}',
    '{"__proto__":{"scope":"openid"},"sub":"a"}',
    '\ufeff{}',
    `${'['.repeat(3000)}${']'.repeat(3000)}`,
    `{"a":${'{"a":'.repeat(1500)}1${'}'.repeat(1500)}}`,
  ),
  garbageText,
);
