import * as client from 'openid-client';
import { appleClientSecret } from './apple-client-secret.js';
import type { Upstream } from './resolve-upstream.js';

/**
 * How Warden authenticates to the upstream's token endpoint: with the client secret, by the
 * connection's method, else as the OpenID Provider advertises (`client_secret_basic` unless it
 * offers only `client_secret_post`); Apple's secret is a fresh JWT made from its key; without a
 * secret, none (the code is then bound by PKCE alone).
 */
export async function clientAuthentication(
  upstream: Upstream,
  secret: string | undefined,
  now: number,
): Promise<client.ClientAuth> {
  if (upstream.clientSecret === 'apple-jwt') {
    return client.ClientSecretPost(await appleClientSecret(upstream, secret, now));
  }
  if (secret === undefined) return client.None();
  switch (upstream.tokenEndpointAuthMethod) {
    case 'client_secret_post':
      return client.ClientSecretPost(secret);
    case 'client_secret_basic':
      return client.ClientSecretBasic(secret);
    default: {
      const basic = client.ClientSecretBasic(secret);
      const post = client.ClientSecretPost(secret);
      return (as, metadata, body, headers) => {
        const methods = as.token_endpoint_auth_methods_supported;
        const postOnly =
          Array.isArray(methods) &&
          !methods.includes('client_secret_basic') &&
          methods.includes('client_secret_post');
        return (postOnly ? post : basic)(as, metadata, body, headers);
      };
    }
  }
}
