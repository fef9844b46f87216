/** The servers of the API benchmarks: `servers/dragons-api-variants.ts` runs one of them. */
export const API_VARIANTS = [
  'express-bare',
  'express-floor',
  'express-jwt',
  'express-warden',
  'fastify-bare',
  'fastify-floor',
  'fastify-warden',
  'fastify-jwt',
] as const;

export type ApiVariant = (typeof API_VARIANTS)[number];

export const API_ALGS = ['RS256', 'ES256'] as const;
export type ApiAlg = (typeof API_ALGS)[number];

/** The API's identifier, as in the article: `audience: 'http://localhost:3001/api/'`. */
export const API_AUDIENCE = 'http://localhost:3001/api/';

/** What each variant is, for tables. */
export const VARIANT_LABELS: Record<ApiVariant, string> = {
  'express-bare': 'Express bare',
  'express-floor': 'Express + signature only (floor)',
  'express-jwt': 'Express + express-jwt + jwks-rsa',
  'express-warden': 'Express + Warden',
  'fastify-bare': 'Fastify bare',
  'fastify-floor': 'Fastify + signature only (floor)',
  'fastify-warden': 'Fastify + Warden',
  'fastify-jwt': 'Fastify + @fastify/jwt',
};

/** The same framework's route without any token check: what "% of bare kept" divides by. */
export function bareOf(variant: ApiVariant): ApiVariant {
  return variant.startsWith('express-') ? 'express-bare' : 'fastify-bare';
}

/** Whether the variant checks tokens at all (the bare ones answer every request). */
export function checksTokens(variant: ApiVariant): boolean {
  return !variant.endsWith('-bare');
}

/**
 * Whether the variant checks the claims (`exp`, `iss`, `aud`, …): not the bare routes, and not
 * the floors, which check only the signature, the least any verifier must do per new token.
 */
export function checksClaims(variant: ApiVariant): boolean {
  return checksTokens(variant) && !variant.endsWith('-floor');
}

/** Whether the variant follows the revocation feed (when the run turns revocation on). */
export function followsRevocation(variant: ApiVariant): boolean {
  return variant.endsWith('-warden');
}

/** Reads a comma-separated `--option` value, every item from `allowed`. Throws `TypeError` naming the option. */
export function readList<T extends string>(value: string, allowed: readonly T[], option: string): T[] {
  const items = value.split(',').map((item) => item.trim());
  for (const item of items) {
    if (!allowed.includes(item as T)) throw new TypeError(`--${option}: a list of ${allowed.join(', ')}`);
  }
  return [...new Set(items)] as T[];
}
