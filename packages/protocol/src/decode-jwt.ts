import { tryDecodeBase64Url } from './base64url.js';
import { parseJsonObject } from './lib/parse-json-object.js';
import { OAuthError } from './oauth-error.js';

export interface DecodedJwt {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
}

/**
 * Decodes the header and payload of a compact JWS for display or debugging. It verifies
 * NOTHING: not the signature, not the algorithm, not `exp`, `iss` or `aud`. Never base an
 * access decision on its result; use `verifyJwt`. Throws `OAuthError('invalid_token')` when
 * the token is not three base64url segments whose first two are JSON objects.
 */
export function decodeJwt(token: string): DecodedJwt {
  const segments = typeof token === 'string' ? token.split('.') : [];
  if (segments.length !== 3) throw new OAuthError('invalid_token', 'not a compact JWS');
  return { header: decodePart(segments[0]!, 'header'), payload: decodePart(segments[1]!, 'payload') };
}

function decodePart(segment: string, name: string): Record<string, unknown> {
  const bytes = tryDecodeBase64Url(segment);
  if (bytes === undefined) throw new OAuthError('invalid_token', `${name}: malformed base64url`);
  const parsed = parseJsonObject(bytes);
  if (!parsed.ok) throw new OAuthError('invalid_token', `${name}: ${parsed.reason}`);
  return parsed.value;
}
