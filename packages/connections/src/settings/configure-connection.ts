import { AdminError, type ConfiguredConnection, type UpstreamSettings } from '@warden/server';
import * as client from 'openid-client';
import { type Upstream, upstreamFrom } from '../upstream/resolve-upstream.js';
import { type UpstreamClients, UpstreamMetadataError } from '../upstream/upstream-clients.js';
import { isUnavailable } from '../upstream/upstream-failure.js';
import { unavailableReason } from '../upstream/upstream-fetch.js';
import { readConnectionSettings, storedSettings } from './connection-settings.js';
import { flag } from './read-setting.js';

/**
 * `UpstreamMethod.configure`: checks an administrator's settings for `type` (see
 * `readConnectionSettings`) and, for an OpenID Provider, discovers it now, so a wrong or unreachable
 * issuer fails here with an `AdminError` saying what went wrong, not at a user's first sign-in.
 * Returns what the server stores: the settings as given (a preset's data is read at sign-in, so
 * presets updated with Warden apply to existing connections), the default button label (the
 * preset's name, else the provider's host), and whether a client secret is needed (presets: yes;
 * `oidc`: no, PKCE alone is accepted; `oauth2`: only when PKCE is off).
 */
export async function configureConnection(
  clients: UpstreamClients,
  type: string,
  settings: UpstreamSettings,
): Promise<ConfiguredConnection> {
  const read = readConnectionSettings(type, settings, clients.config.allowInsecureLocalhost);
  const { strategy, preset } = read;
  const upstream = upstreamFrom(read, 'new', preset?.displayName ?? '');
  if (strategy === 'oidc') await checkDiscovery(clients, upstream);
  return {
    strategy,
    preset: preset?.type ?? null,
    displayName: preset?.displayName ?? new URL(upstream.issuer ?? upstream.authorizationEndpoint!).hostname,
    options: storedSettings(read.settings),
    needsSecret: preset !== undefined || (strategy === 'oauth2' && !upstream.pkce),
  };
}

async function checkDiscovery(clients: UpstreamClients, upstream: Upstream): Promise<void> {
  const issuer = upstream.issuer!;
  const document = `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
  const refuse = (problem: string) => new AdminError(`${flag('issuer')}: ${issuer} ${problem}`);
  try {
    await clients.configuration(upstream);
  } catch (error) {
    if (isUnavailable(error)) {
      throw refuse(
        `could not be reached (${unavailableReason(error, clients.config.timeout)}): is the URL right and the server up?`,
      );
    }
    if (error instanceof UpstreamMetadataError) throw refuse(`cannot be used: ${error.message}`);
    if (error instanceof client.ClientError) {
      const cause = error.cause as { status?: unknown; body?: { issuer?: unknown } } | undefined;
      switch (error.code) {
        case 'OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED':
          throw refuse(
            `is not the issuer its discovery document names (${String(cause?.body?.issuer)}): give exactly that one`,
          );
        case 'OAUTH_RESPONSE_IS_NOT_CONFORM':
          throw refuse(
            `has no OpenID discovery document: ${document} answered HTTP ${String(cause?.status)}`,
          );
        default:
          throw refuse(`has no usable OpenID discovery document at ${document} (${error.message})`);
      }
    }
    throw error;
  }
}
