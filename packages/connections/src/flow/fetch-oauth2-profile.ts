import type { Logger, UpstreamProfile } from '@warden/server';
import * as client from 'openid-client';
import { mapProfile } from '../profile/map-profile.js';
import type { Upstream } from '../upstream/resolve-upstream.js';
import { isUnavailable, UpstreamAnswerError } from '../upstream/upstream-failure.js';

/**
 * The profile of a plain OAuth 2.0 provider: its profile endpoint's JSON object read with the
 * access token (GET, `Authorization: Bearer`), mapped by the connection's mapping. With an emails
 * endpoint (GitHub's `/user/emails`), the primary verified address there becomes the email, marked
 * verified; when that endpoint refuses (a scope not granted) or answers no such address, the
 * profile's own email stays, as the mapping says it is verified or not. `raw` is the profile JSON.
 * A profile that is not a JSON object is an `UpstreamAnswerError`.
 */
export async function fetchOauth2Profile(
  upstream: Upstream,
  configuration: client.Configuration,
  accessToken: string,
  logger: Logger,
): Promise<UpstreamProfile> {
  const raw = await getJson(upstream, configuration, accessToken, upstream.profileEndpoint!);
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new UpstreamAnswerError('the profile endpoint did not answer a JSON object');
  }
  const profile = mapProfile(raw as Record<string, unknown>, upstream.mapping, upstream.provider);
  if (upstream.emailsEndpoint) {
    const email = await primaryVerifiedEmail(upstream, configuration, accessToken, logger);
    if (email !== undefined) {
      profile.email = email;
      profile.emailVerified = true;
    }
  }
  return profile;
}

async function primaryVerifiedEmail(
  upstream: Upstream,
  configuration: client.Configuration,
  accessToken: string,
  logger: Logger,
): Promise<string | undefined> {
  let emails: unknown;
  try {
    emails = await getJson(upstream, configuration, accessToken, upstream.emailsEndpoint!);
  } catch (error) {
    if (isUnavailable(error)) throw error;
    logger.warn({ connection: upstream.connection, err: String(error) }, 'upstream emails not readable');
    return undefined;
  }
  if (!Array.isArray(emails)) return undefined;
  const primary = emails.find(
    (entry) => entry?.primary === true && entry.verified === true && typeof entry.email === 'string',
  ) as { email: string } | undefined;
  return primary?.email;
}

async function getJson(
  upstream: Upstream,
  configuration: client.Configuration,
  accessToken: string,
  url: string,
): Promise<unknown> {
  const response = await client.fetchProtectedResource(
    configuration,
    accessToken,
    new URL(url),
    'GET',
    undefined,
    new Headers({ accept: 'application/json', ...upstream.profileHeaders }),
  );
  if (!response.ok) throw new UpstreamAnswerError(`${url} answered HTTP ${response.status}`);
  try {
    return await response.json();
  } catch (error) {
    if (isUnavailable(error)) throw error;
    throw new UpstreamAnswerError(`${url} did not answer JSON`, { cause: error });
  }
}
