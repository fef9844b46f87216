import type { UpstreamProfile } from '@warden/server';
import type { ProfileMapping } from './profile-mapping.js';
import { readSource } from './read-path.js';

/**
 * The `UpstreamProfile` that `raw` (ID token claims and userinfo, or a profile JSON) gives under
 * `mapping`. The id is text, or a whole number made text (GitHub's numeric ids); anything else
 * leaves it empty, which the server refuses. Only `true` or the text `"true"` (Apple's) count as a
 * verified email. Text fields take text only. It does NOT judge the values further (length, control
 * characters, email syntax, URL schemes): the server does when it stores them. `raw` is kept whole.
 */
export function mapProfile(
  raw: Record<string, unknown>,
  mapping: ProfileMapping,
  provider: string,
): UpstreamProfile {
  const read = (field: keyof ProfileMapping): unknown => {
    const source = mapping[field];
    return source === undefined || source === null ? undefined : readSource(raw, source);
  };
  const verified = read('emailVerified');
  return {
    id: idText(read('id')),
    provider,
    email: text(read('email')),
    emailVerified: verified === true || verified === 'true',
    name: text(read('name')),
    givenName: text(read('givenName')),
    familyName: text(read('familyName')),
    nickname: text(read('nickname')),
    picture: text(read('picture')),
    locale: text(read('locale')),
    raw,
  };
}

function idText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return String(value);
  return '';
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
