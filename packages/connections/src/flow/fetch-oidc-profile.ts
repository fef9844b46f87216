import type { UpstreamProfile } from '@warden/server';
import * as client from 'openid-client';
import { mapProfile } from '../profile/map-profile.js';
import type { Upstream } from '../upstream/resolve-upstream.js';
import { UpstreamAnswerError } from '../upstream/upstream-failure.js';

/** Longest JSON taken from a callback's user parameter (Apple's name, a few hundred bytes). */
const MAX_USER_JSON = 4096;

/**
 * The profile an OpenID Provider vouched for: the ID token's claims (openid-client checked the
 * token), with the userinfo endpoint's claims over them when the connection asks for userinfo
 * (openid-client checks its `sub` is the ID token's), and the callback's user parameter when the
 * preset has one (Apple's name on a first sign-in: JSON the browser carried, so it is used for the
 * name only, never for the email or the id). `raw` holds those claims, never a token.
 */
export async function fetchOidcProfile(
  upstream: Upstream,
  configuration: client.Configuration,
  tokens: client.TokenEndpointResponse & client.TokenEndpointResponseHelpers,
  callback: URLSearchParams,
): Promise<UpstreamProfile> {
  const claims = tokens.claims();
  if (!claims) throw new UpstreamAnswerError('the token endpoint answered without an ID token');
  let raw: Record<string, unknown> = { ...claims };
  if (upstream.userinfo) {
    const userinfo = await client.fetchUserInfo(configuration, tokens.access_token, claims.sub);
    raw = { ...raw, ...userinfo };
  }
  const parameter = upstream.callbackUserParameter;
  if (parameter !== undefined && !Object.hasOwn(raw, parameter)) {
    const user = readUserJson(callback.get(parameter));
    if (user) raw[parameter] = user;
  }
  return mapProfile(raw, upstream.mapping, upstream.provider);
}

function readUserJson(text: string | null): Record<string, unknown> | undefined {
  if (text === null || text.length > MAX_USER_JSON) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
