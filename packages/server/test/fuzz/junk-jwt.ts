import { encodeBase64Url } from '@warden/protocol';
import fc from 'fast-check';
import { garbageText, junkClaims, junkJsonValue, oddPayloadText } from './arbitraries.js';

/**
 * JWT shapes for the fuzz suites: a recipe of header and claim changes, made into a token at run
 * time over the claims of a good token and signed with a key the verifier trusts, so that the
 * token passes the signature check and what happens next (claim types, header members) is what
 * gets tested. Some recipes are no JWS at all (JWE-shaped, wrong part count, bad base64url).
 */
export type JwtRecipe =
  | {
      kind: 'signed';
      /** Header members to set over the good header (`undefined` removes one). */
      header: Record<string, unknown>;
      /** Claims to set over the good claims (`undefined` removes one), or the payload's exact text. */
      payload: Record<string, unknown> | string;
    }
  | { kind: 'raw'; token: string };

/** Every claim a verifier here reads. */
export const CLAIM_NAMES = [
  'iss',
  'sub',
  'aud',
  'exp',
  'iat',
  'nbf',
  'jti',
  'client_id',
  'scope',
  'roles',
  'permissions',
  'sid',
  'azp',
  'nonce',
  'auth_time',
  'cnf',
  'act',
] as const;

const HEADER_NAMES = ['typ', 'kid', 'crit', 'cty', 'jku', 'x5u', 'jwk', 'b64', 'zip', 'enc', 'x5c', 'alg'];

const headerChanges: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  { weight: 3, arbitrary: fc.constant({}) },
  {
    weight: 3,
    arbitrary: fc.dictionary(
      fc.constantFrom(...HEADER_NAMES),
      fc.oneof(
        junkJsonValue,
        fc.constantFrom(
          'at+jwt',
          'AT+JWT',
          'application/at+jwt',
          'JWT',
          'none',
          'HS256',
          ['exp'],
          ['b64'],
          [],
          undefined,
        ),
      ),
      { maxKeys: 3 },
    ),
  },
);

const rawTokens: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    'a.b.c.d.e',
    'e30.e30.e30',
    'e30.e30.',
    '..',
    '....',
    'eyJhbGciOiJub25lIn0.e30.',
    'eyJhbGciOiJSU0EtT0FFUC0yNTYiLCJlbmMiOiJBMjU2R0NNIn0.AAAA.AAAA.AAAA.AAAA',
    'eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIiwiemlwIjoiREVGIn0..AAAA.AAAA.AAAA',
    'e30=.e30=.AAAA',
    'e30.e30.AAA',
    'e30+.e30/.AA==',
  ),
  fc
    .array(
      fc.oneof(
        garbageText.map((text) => encodeBase64Url(text)),
        garbageText,
      ),
      {
        minLength: 1,
        maxLength: 6,
      },
    )
    .map((parts) => parts.join('.')),
);

/** Recipes: mostly signed tokens with junk in the header or the claims, some raw non-JWS shapes. */
export const jwtRecipeArbitrary: fc.Arbitrary<JwtRecipe> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record({
      kind: fc.constant('signed' as const),
      header: headerChanges,
      payload: fc.oneof(
        { weight: 6, arbitrary: junkClaims(CLAIM_NAMES) },
        { weight: 1, arbitrary: oddPayloadText },
      ),
    }),
  },
  { weight: 1, arbitrary: rawTokens.map((token) => ({ kind: 'raw' as const, token })) },
);

/** Signs the JWS signing input (`header.payload` in base64url) with a key the verifier trusts. */
export type RawSigner = (signingInput: string) => Promise<Uint8Array>;

/**
 * The header and payload texts of a recipe: the good header and claims with the recipe's changes
 * (`undefined` removes a member), or its exact payload text; for a raw recipe, the token itself.
 */
export function jwtTexts(
  recipe: JwtRecipe,
  good: { header: Record<string, unknown>; claims: Record<string, unknown> },
): { header: string; payload: string } | string {
  if (recipe.kind === 'raw') return recipe.token;
  return {
    header: JSON.stringify(applyChanges(good.header, recipe.header)),
    payload:
      typeof recipe.payload === 'string'
        ? recipe.payload
        : JSON.stringify(applyChanges(good.claims, recipe.payload)),
  };
}

/** Makes the token of a recipe (see `jwtTexts`), signed by `sign`. */
export async function makeJwt(
  recipe: JwtRecipe,
  good: { header: Record<string, unknown>; claims: Record<string, unknown> },
  sign: RawSigner,
): Promise<string> {
  const texts = jwtTexts(recipe, good);
  if (typeof texts === 'string') return texts;
  const input = `${encodeBase64Url(texts.header)}.${encodeBase64Url(texts.payload)}`;
  return `${input}.${encodeBase64Url(await sign(input))}`;
}

function applyChanges(
  base: Record<string, unknown>,
  changes: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [name, value] of Object.entries(changes)) {
    if (value === undefined) delete out[name];
    else Object.defineProperty(out, name, { value, enumerable: true, writable: true, configurable: true });
  }
  return out;
}
