import { dragons } from '../../apps/dragons-api/src/dragons.js';
import {
  type ApiAlg,
  type ApiVariant,
  checksClaims,
  checksTokens,
  followsRevocation,
} from './api-variants.js';
import type { BenchIssuer } from './bench-issuer.js';

export interface ProbeResult {
  name: string;
  /** 200, or 401 for a token the variant must refuse. */
  expected: number;
  status: number;
  /** 200 with the dragons when expected; refused (any status ≥ 400) when 401 was expected. */
  ok: boolean;
}

interface Probe {
  name: string;
  token: string | undefined;
  /** Whether a variant that checks tokens must refuse it. */
  refused: boolean;
  /** Only Warden variants with revocation on refuse it. */
  revocationOnly?: boolean;
  /** Its signature is good: a variant that checks only signatures (a floor) accepts it. */
  claimsOnly?: boolean;
}

/** Flips one character in the middle of the signature (every bit there is signature). */
function tamperSignature(token: string): string {
  const dot = token.lastIndexOf('.');
  const at = dot + 10;
  return `${token.slice(0, at)}${token[at] === 'A' ? 'B' : 'A'}${token.slice(at + 1)}`;
}

/** The probe tokens for one algorithm, signed now by the bench issuer. */
export function buildProbes(issuer: BenchIssuer, alg: ApiAlg): Probe[] {
  const now = Math.floor(Date.now() / 1000);
  const other: ApiAlg = alg === 'RS256' ? 'ES256' : 'RS256';
  return [
    { name: 'valid', token: issuer.sign(alg), refused: false },
    { name: 'no token', token: undefined, refused: true },
    {
      name: 'expired',
      token: issuer.sign(alg, { iat: now - 7200, exp: now - 600 }),
      refused: true,
      claimsOnly: true,
    },
    {
      name: 'wrong aud',
      token: issuer.sign(alg, { aud: 'http://localhost:3001/other/' }),
      refused: true,
      claimsOnly: true,
    },
    {
      name: 'wrong iss',
      token: issuer.sign(alg, { iss: 'http://127.0.0.1:1/' }),
      refused: true,
      claimsOnly: true,
    },
    { name: `other alg (${other}, key in the JWKS)`, token: issuer.sign(other), refused: true },
    { name: 'bad signature', token: tamperSignature(issuer.sign(alg)), refused: true },
    {
      name: 'revoked jti',
      token: issuer.sign(alg, { jti: issuer.revokedJti }),
      refused: true,
      revocationOnly: true,
      claimsOnly: true,
    },
  ];
}

function expectedStatus(probe: Probe, variant: ApiVariant, revocation: boolean): number {
  if (!checksTokens(variant) || !probe.refused) return 200;
  if (probe.claimsOnly && !checksClaims(variant)) return 200;
  if (probe.revocationOnly && !(revocation && followsRevocation(variant))) return 200;
  return 401;
}

function isDragonList(body: unknown): boolean {
  return (
    Array.isArray(body) &&
    body.length === dragons.length &&
    body.every((dragon, i) => (dragon as { name?: unknown })?.name === dragons[i]?.name)
  );
}

/**
 * Sends each probe to `GET <origin>/api/dragons` once and compares the status with what the
 * variant must answer: 200 with the six dragons for a valid token (and for everything on a bare
 * variant), a refusal for a missing, expired, mis-addressed, mis-issued, other-algorithm or
 * tampered token, and for a revoked `jti` on Warden variants following the feed (the others do
 * not follow it: 200). A refusal with another status than 401 still counts as refused (the
 * caller reports it). It checks statuses and the 200 body, not error bodies.
 */
export async function runProbes(
  origin: string,
  probes: Probe[],
  variant: ApiVariant,
  revocation: boolean,
): Promise<ProbeResult[]> {
  const results: ProbeResult[] = [];
  for (const probe of probes) {
    const response = await fetch(`${origin}/api/dragons`, {
      headers: probe.token ? { authorization: `Bearer ${probe.token}` } : {},
    });
    const body: unknown = await response.json().catch(() => undefined);
    const expected = expectedStatus(probe, variant, revocation);
    const ok = expected === 200 ? response.status === 200 && isDragonList(body) : response.status >= 400;
    results.push({ name: probe.name, expected, status: response.status, ok });
  }
  return results;
}
