/**
 * Third-party JOSE test vectors run through the protocol seam: Wycheproof (JWS, JWE, JWK and the
 * combined "JSON web crypto" file) and the RFC 7520 cookbook (with RFC 8037 and RFC 7797 extras).
 * The vectors live outside the repository (`../shared/vectors` next to it) and are read in place.
 *
 * Rule: no `invalid` vector is accepted; every `valid` one is accepted, except the upstream
 * defects listed in the vectors' README and the algorithms and features Warden refuses on
 * purpose (RSA1_5, `zip`, `b64: false`). Each exception below is asserted, not skipped, so a
 * change of behaviour shows up.
 *
 * Every JWS vector runs twice, with the same expectations: through the jose seam
 * (`importKeySet` + `verifyCompactJws`) and through the node:crypto fast path
 * (`importNodeKeySet` + `verifyCompactJwsNode`). JWE vectors run through jose only.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import {
  decryptCompactJwe,
  encodeBase64Url,
  importKey,
  importKeySet,
  type KeySet,
  OAuthError,
  verifyCompactJws,
} from '../src/index.js';
import { importNodeKeySet, verifyCompactJwsNode } from '../src/node/index.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const vectorsDir = path.resolve(repoRoot, '../shared/vectors');
const haveVectors = existsSync(vectorsDir);
if (!haveVectors && process.env.CI && process.env.CI !== 'false') {
  // CI promises the vectors: 1,670 cases skipped without a word would hide a broken seam.
  throw new Error(`CI is set but the test vectors are missing: ${vectorsDir} does not exist`);
}

/** Upstream defects in the Wycheproof signature file (see the vectors' README), and what we do. */
const KNOWN_BAD_SIGNATURE: Record<number, { accepted: boolean; why: string }> = {
  17: { accepted: false, why: 'truncated JSON text; rejected either way' },
  346: { accepted: false, why: 'header says PS384 but the key is pinned to PS256' },
  347: { accepted: false, why: 'key alg ES521 is not a registered JWS algorithm, so the key is refused' },
  350: { accepted: false, why: 'header says PS384 but the key is pinned to PS256' },
  351: { accepted: false, why: 'key alg ES521 is not a registered JWS algorithm, so the key is refused' },
  367: { accepted: true, why: 'byte-identical to the valid tcId 357 (the intended padding is missing)' },
  370: { accepted: true, why: 'byte-identical to the valid tcId 357 (the intended padding is missing)' },
  372: { accepted: false, why: 'a "?" inside a segment is not base64url; strict parsing rejects it' },
  373: { accepted: false, why: 'a "?" inside a segment is not base64url; strict parsing rejects it' },
};

/** The two ways to import keys and verify a JWS; both must give the same answers. */
type JwsPath = 'jose' | 'node';
const JWS_PATHS: readonly JwsPath[] = ['jose', 'node'];
const IMPORT_KEY_SET: Record<JwsPath, (jwks: unknown) => Promise<KeySet>> = {
  jose: (jwks) => importKeySet(jwks),
  node: (jwks) => importNodeKeySet(jwks),
};
const VERIFY_JWS: Record<JwsPath, (token: string, keys: KeySet) => Promise<{ payload: Uint8Array }>> = {
  jose: (token, keys) => verifyCompactJws(token, keys),
  node: async (token, keys) => verifyCompactJwsNode(token, keys),
};

interface WycheproofTest {
  tcId: number;
  comment: string;
  flags: string[];
  result: 'valid' | 'invalid';
  jws?: unknown;
  jwe?: unknown;
  pt?: string;
}
interface WycheproofGroup {
  comment: string;
  public?: unknown;
  private?: unknown;
  tests: WycheproofTest[];
}
interface Case {
  name: string;
  tcId: number;
  expectAccepted: boolean;
  note: string;
  group: WycheproofGroup;
  test: WycheproofTest;
}

function readJson(relative: string): unknown {
  return JSON.parse(readFileSync(path.join(vectorsDir, relative), 'utf8'));
}

function wycheproofGroups(file: string): WycheproofGroup[] {
  return haveVectors ? (readJson(`wycheproof/${file}`) as { testGroups: WycheproofGroup[] }).testGroups : [];
}

function toKeySetInput(key: unknown): unknown {
  return typeof key === 'object' && key !== null && 'keys' in key ? key : { keys: [key] };
}

function tokenAlg(token: unknown): string | undefined {
  if (typeof token !== 'string') return undefined;
  try {
    const header = JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString('utf8'));
    return typeof header.alg === 'string' ? header.alg : undefined;
  } catch {
    return undefined;
  }
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

/**
 * Verifies (through `path`) or decrypts (through jose) one Wycheproof test. Returns whether it was
 * accepted; throws only when an accepted JWE decrypts to something other than the expected plaintext.
 */
async function runWycheproof(
  group: WycheproofGroup,
  t: WycheproofTest,
  keyFor: 'verify' | 'decrypt',
  path: JwsPath = 'jose',
) {
  const keyInput = keyFor === 'decrypt' ? (group.private ?? group.public) : (group.public ?? group.private);
  let keys: KeySet;
  try {
    keys = await IMPORT_KEY_SET[t.jwe !== undefined ? 'jose' : path](toKeySetInput(keyInput));
  } catch {
    return false;
  }
  try {
    if (t.jwe !== undefined) {
      const { plaintext } = await decryptCompactJwe(t.jwe as string, keys);
      if (t.pt !== undefined) expect(hex(plaintext)).toBe(t.pt);
      return true;
    }
    await VERIFY_JWS[path](t.jws as string, keys);
    return true;
  } catch (error) {
    if (error instanceof Error && error.name === 'AssertionError') throw error;
    return false;
  }
}

/** One `[title, case]` row per test, so Vitest names each failure after its tcId. */
function casesOf(
  file: string,
  expectation: (group: WycheproofGroup, t: WycheproofTest) => [boolean, string],
): [string, Case][] {
  return wycheproofGroups(file).flatMap((group) =>
    group.tests.map((t): [string, Case] => {
      const [expectAccepted, note] = expectation(group, t);
      const name = `tcId ${t.tcId} ${group.comment}/${t.comment} (${t.result}${note ? `; ${note}` : ''})`;
      return [name, { name, tcId: t.tcId, expectAccepted, note, group, test: t }];
    }),
  );
}

function plainExpectation(_group: WycheproofGroup, t: WycheproofTest): [boolean, string] {
  return [t.result === 'valid', ''];
}

/** Valid RSA1_5 and `zip` vectors are refused on purpose. */
function encryptionExpectation(group: WycheproofGroup, t: WycheproofTest): [boolean, string] {
  const keyAlg = (group.private as { alg?: string } | undefined)?.alg;
  if (t.result === 'valid' && (keyAlg === 'RSA1_5' || tokenAlg(t.jwe) === 'RSA1_5')) {
    return [false, 'RSA1_5 is deliberately unsupported'];
  }
  if (t.result === 'valid' && t.flags.includes('CompressedPlaintext')) {
    return [false, 'compressed plaintext (zip) is refused'];
  }
  return [t.result === 'valid', ''];
}

function signatureExpectation(_group: WycheproofGroup, t: WycheproofTest): [boolean, string] {
  const known = KNOWN_BAD_SIGNATURE[t.tcId];
  if (known) return [known.accepted, `known-bad upstream: ${known.why}`];
  return [t.result === 'valid', ''];
}

const describeVectors = haveVectors ? describe : describe.skip;
const skipReason = haveVectors ? '' : ` (skipped: ${vectorsDir} does not exist here; CI always has it)`;

describeVectors.each(JWS_PATHS)(`Wycheproof json_web_signature_test.json via %s${skipReason}`, (path) => {
  test.each(casesOf('json_web_signature_test.json', signatureExpectation))('%s', async (_, c) => {
    expect(await runWycheproof(c.group, c.test, 'verify', path)).toBe(c.expectAccepted);
  });
});

describeVectors(`Wycheproof json_web_encryption_test.json${skipReason}`, () => {
  test.each(casesOf('json_web_encryption_test.json', encryptionExpectation))('%s', async (_, c) => {
    expect(await runWycheproof(c.group, c.test, 'decrypt')).toBe(c.expectAccepted);
  });
});

describeVectors.each(JWS_PATHS)(`Wycheproof json_web_key_test.json via %s${skipReason}`, (path) => {
  test.each(casesOf('json_web_key_test.json', plainExpectation))('%s', async (_, c) => {
    expect(await runWycheproof(c.group, c.test, 'verify', path)).toBe(c.expectAccepted);
  });

  // A group whose every test is invalid carries a bad key set: importKeySet itself must refuse it.
  const refusedSets = wycheproofGroups('json_web_key_test.json').filter((group) =>
    group.tests.every((t) => t.result === 'invalid'),
  );
  test.each(
    refusedSets.map((group) => [`${group.comment} (tcId ${group.tests.map((t) => t.tcId)})`, group] as const),
  )(
    `${path === 'jose' ? 'importKeySet' : 'importNodeKeySet'} refuses the key set of %s`,
    async (_, group) => {
      for (const keys of [group.public, group.private]) {
        if (keys !== undefined) await expect(IMPORT_KEY_SET[path](toKeySetInput(keys))).rejects.toThrow();
      }
    },
  );
});

describeVectors(`Wycheproof json_web_crypto_test.json${skipReason}`, () => {
  test.each(casesOf('json_web_crypto_test.json', plainExpectation))('%s', async (_, c) => {
    const mode = c.test.jwe !== undefined ? 'decrypt' : 'verify';
    expect(await runWycheproof(c.group, c.test, mode)).toBe(c.expectAccepted);
  });

  const jwsCases = casesOf('json_web_crypto_test.json', plainExpectation).filter(([, c]) => c.test.jws);
  test.each(jwsCases)('via node: %s', async (_, c) => {
    expect(await runWycheproof(c.group, c.test, 'verify', 'node')).toBe(c.expectAccepted);
  });
});

/** What one path made of a JWS vector: accepted, the key set refused, or the token's error. */
async function outcomeOf(group: WycheproofGroup, t: WycheproofTest, path: JwsPath): Promise<string> {
  let keys: KeySet;
  try {
    keys = await IMPORT_KEY_SET[path](toKeySetInput(group.public ?? group.private));
  } catch (error) {
    return `key set refused: ${(error as Error).message}`;
  }
  try {
    await VERIFY_JWS[path](t.jws as string, keys);
    return 'accepted';
  } catch (error) {
    return error instanceof OAuthError
      ? `${error.error}: ${error.description}`
      : `unexpected ${String(error)}`;
  }
}

describeVectors(
  `jose and node:crypto give the same answer and error for every JWS vector${skipReason}`,
  () => {
    const files = ['json_web_signature_test.json', 'json_web_key_test.json', 'json_web_crypto_test.json'];
    const jwsCases = files.flatMap((file) =>
      casesOf(file, plainExpectation)
        .filter(([, c]) => c.test.jws !== undefined)
        .map(([name, c]): [string, Case] => [`${file} ${name}`, c]),
    );
    test.each(jwsCases)('%s', async (_, c) => {
      const jose = await outcomeOf(c.group, c.test, 'jose');
      expect(jose).not.toMatch(/^unexpected/);
      expect(await outcomeOf(c.group, c.test, 'node')).toBe(jose);
    });
  },
);

// RFC 7520 cookbook. Keys there often carry no "alg" (the example names it beside the key); the
// test pins the key to that algorithm, as a deployment would.

interface CookbookInput {
  payload?: string;
  plaintext?: string;
  key?: Record<string, unknown> | Record<string, unknown>[];
  pwd?: string;
  alg: string | string[];
  enc?: string;
}
interface CookbookExample {
  title: string;
  input: CookbookInput;
  output: { compact?: string };
}

function cookbookKey(input: CookbookInput): Record<string, unknown> {
  if (input.pwd !== undefined) {
    return { kty: 'oct', alg: input.alg, k: encodeBase64Url(input.pwd) };
  }
  const key = input.key as Record<string, unknown>;
  if (key.alg !== undefined) return key;
  return { ...key, alg: input.alg === 'dir' ? input.enc : input.alg };
}

async function verifyCookbookJws(example: CookbookExample, path: JwsPath = 'jose'): Promise<string> {
  const keys = await IMPORT_KEY_SET[path]({ keys: [cookbookKey(example.input)] });
  const { payload } = await VERIFY_JWS[path](example.output.compact!, keys);
  return new TextDecoder().decode(payload);
}

async function decryptCookbookJwe(example: CookbookExample): Promise<string> {
  const keys = await importKeySet({ keys: [cookbookKey(example.input)] });
  const { plaintext } = await decryptCompactJwe(example.output.compact!, keys);
  return new TextDecoder().decode(plaintext);
}

const rfc = (file: string) => (haveVectors ? (readJson(`rfc7520/${file}`) as CookbookExample) : undefined);

describeVectors(`RFC 7520 / RFC 8037 / RFC 7797 cookbook${skipReason}`, () => {
  const acceptedJws = [
    'jws/4_1.rsa_v15_signature.json',
    'jws/4_2.rsa-pss_signature.json',
    'jws/4_3.ecdsa_signature.json',
    'jws/4_4.hmac-sha2_integrity_protection.json',
    'curve25519/jws.json',
  ];
  test.each(JWS_PATHS.flatMap((path) => acceptedJws.map((file) => [file, path] as const)))(
    'JWS %s verifies via %s and yields the payload',
    async (file, path) => {
      const example = rfc(file)!;
      expect(await verifyCookbookJws(example, path)).toBe(example.input.payload);
    },
  );

  const acceptedJwe = [
    'jwe/5_2.key_encryption_using_rsa-oaep_with_aes-gcm.json',
    'jwe/5_3.key_wrap_using_pbes2-aes-keywrap_with-aes-cbc-hmac-sha2.json',
    'jwe/5_4.key_agreement_with_key_wrapping_using_ecdh-es_and_aes-keywrap_with_aes-gcm.json',
    'jwe/5_5.key_agreement_using_ecdh-es_with_aes-cbc-hmac-sha2.json',
    'jwe/5_6.direct_encryption_using_aes-gcm.json',
    'jwe/5_7.key_wrap_using_aes-gcm_keywrap_with_aes-cbc-hmac-sha2.json',
    'jwe/5_8.key_wrap_using_aes-keywrap_with_aes-gcm.json',
    'curve25519/ecdh-es.json',
  ];
  test.each(acceptedJwe)('JWE %s decrypts to the plaintext', async (file) => {
    const example = rfc(file)!;
    expect(await decryptCookbookJwe(example)).toBe(example.input.plaintext);
  });

  test.each(JWS_PATHS)(
    'section 6: nested JWT (PS256 inside RSA-OAEP) decrypts, then verifies via %s',
    async (path) => {
      const nested = (haveVectors ? readJson('rfc7520/6.nesting_signatures_and_encryption.json') : {}) as {
        sign: CookbookExample;
        encrypt: CookbookExample;
      };
      const inner = await decryptCookbookJwe(nested.encrypt);
      expect(inner).toBe(nested.sign.output.compact);
      expect(await verifyCookbookJws({ ...nested.sign, output: { compact: inner } }, path)).toBe(
        nested.sign.input.payload,
      );
    },
  );

  test('5.1: a key pinned to RSA1_5 is refused (deliberately unsupported)', async () => {
    const example = rfc('jwe/5_1.key_encryption_using_rsa_v15_and_aes-hmac-sha2.json')!;
    await expect(importKey(cookbookKey(example.input))).rejects.toThrow(/RSA1_5/);
    const oaepKey = { ...(example.input.key as Record<string, unknown>), alg: 'RSA-OAEP' };
    await expect(
      decryptCompactJwe(example.output.compact!, await importKeySet({ keys: [oaepKey] })),
    ).rejects.toMatchObject({ error: 'invalid_token', description: 'alg RSA1_5 is not accepted' });
  });

  test('5.9: compressed content ("zip") is refused on purpose', async () => {
    await expect(decryptCookbookJwe(rfc('jwe/5_9.compressed_content.json')!)).rejects.toMatchObject({
      description: 'compressed plaintext (zip) is not accepted',
    });
  });

  test.each(JWS_PATHS)(
    'RFC 7797: an unencoded payload (b64: false) is refused on purpose via %s',
    async (path) => {
      await expect(verifyCookbookJws(rfc('rfc7797/hmac-sha2_b64_false.json')!, path)).rejects.toMatchObject({
        error: 'invalid_token',
      });
    },
  );

  test.each(JWS_PATHS)(
    '4.5: a detached payload does not verify as an attached empty one via %s',
    async (path) => {
      await expect(
        verifyCookbookJws(rfc('jws/4_5.signature_with_detached_content.json')!, path),
      ).rejects.toMatchObject({
        description: 'invalid signature',
      });
    },
  );

  test.each([
    ['jwk/3_1.ec_public_key.json', 'ES512'],
    ['jwk/3_2.ec_private_key.json', 'ES512'],
    ['jwk/3_3.rsa_public_key.json', 'RS256'],
    ['jwk/3_4.rsa_private_key.json', 'RS256'],
    ['jwk/3_5.symmetric_key_mac_computation.json', 'HS256'],
    ['jwk/3_6.symmetric_key_encryption.json', 'A256GCM'],
  ])('JWK %s imports when pinned to %s and publishes no private member', async (file, alg) => {
    const jwk = readJson(`rfc7520/${file}`) as Record<string, unknown>;
    const key = await importKey({ alg, ...jwk });
    for (const member of ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k']) expect(key.jwk).not.toHaveProperty(member);
  });

  // JSON serialisation only: the seam accepts compact serialisation alone.
  test.skip.each([
    'jws/4_6.protecting_specific_header_fields.json (unprotected header, JSON serialisation only)',
    'jws/4_7.protecting_content_only.json (JSON serialisation only)',
    'jws/4_8.multiple_signatures.json (JSON serialisation only)',
    'rfc7797/4.2.hmac-sha2_b64_false.json (JSON serialisation only)',
    'jwe/5_10.including_additional_authentication_data.json (JSON serialisation only)',
    'jwe/5_11.protecting_specific_header_fields.json (JSON serialisation only)',
    'jwe/5_12.protecting_content_only.json (JSON serialisation only)',
    'jwe/5_13.encrypting_to_multiple_recipients.json (JSON serialisation only)',
  ])('not applicable: %s', () => {});
});
