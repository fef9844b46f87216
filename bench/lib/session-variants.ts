/** The variants of the cookies-vs-tokens scenario (`bench/cookies-vs-tokens.ts`). */
export const SESSION_VARIANTS = [
  'express-bare',
  'bearer-rs256',
  'bearer-es256',
  'session-sqlite',
  'session-redis',
  'session-postgres',
  'express-session-redis',
] as const;
export type SessionVariant = (typeof SESSION_VARIANTS)[number];

export const SESSION_VARIANT_LABELS: Record<SessionVariant, string> = {
  'express-bare': 'Express, no check',
  'bearer-rs256': 'Warden bearer JWT, RS256',
  'bearer-es256': 'Warden bearer JWT, ES256',
  'session-sqlite': 'Warden session cookie, SQLite',
  'session-redis': 'Warden session cookie, Redis',
  'session-postgres': 'Warden session cookie, PostgreSQL',
  'express-session-redis': 'express-session + connect-redis',
};

/** Which external service a variant needs (skipped when its URL is not set). */
export function serviceOf(variant: SessionVariant): 'redis' | 'postgres' | undefined {
  if (variant.endsWith('-redis')) return 'redis';
  if (variant === 'session-postgres') return 'postgres';
  return undefined;
}
