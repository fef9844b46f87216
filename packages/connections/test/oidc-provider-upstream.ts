import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateSigningKey, randomToken } from '@warden/protocol';
import Provider from 'oidc-provider';

/** The one account of the upstream. */
export interface UpstreamAccount {
  sub: string;
  email: string;
  emailVerified: boolean;
  name: string;
  givenName: string;
  familyName: string;
}

export interface OidcProviderUpstream {
  /** `http://127.0.0.1:<port>`, as the provider names itself. */
  issuer: string;
  clientId: string;
  clientSecret: string;
  account: UpstreamAccount;
  close(): Promise<void>;
}

/**
 * panva's oidc-provider, a second and independent OpenID Provider implementation, served over real
 * HTTP on a free port as the upstream of the tests. One confidential client (`client_secret_basic`,
 * PKCE required) whose redirect URI is Warden's callback; one account; its own interaction pages:
 * a login page (any password) and a consent page (each with a Cancel form that ends the sign-in
 * with `access_denied`), marked `data-prompt` for the test's browser. It runs on the real clock, as
 * it takes no other.
 */
export async function startOidcProviderUpstream(options: {
  redirectUri: string;
  account: UpstreamAccount;
}): Promise<OidcProviderUpstream> {
  let handle: (req: IncomingMessage, res: ServerResponse) => void = (_, res) => res.end();
  const server: Server = createServer((req, res) => handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { account } = options;
  const clientId = 'warden';
  const clientSecret = randomToken(32);
  const key = await generateSigningKey('RS256');
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [options.redirectUri],
        response_types: ['code'],
        grant_types: ['authorization_code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    findAccount: (_ctx, id) =>
      id === account.sub
        ? {
            accountId: id,
            claims: () => ({
              sub: id,
              email: account.email,
              email_verified: account.emailVerified,
              name: account.name,
              given_name: account.givenName,
              family_name: account.familyName,
            }),
          }
        : undefined,
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name', 'given_name', 'family_name'],
    },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    jwks: { keys: [key.privateJwk as never] },
    cookies: { keys: [randomToken(32)] },
    pkce: { required: () => true },
    ttl: {
      AccessToken: 600,
      AuthorizationCode: 60,
      Grant: 3600,
      IdToken: 600,
      Interaction: 600,
      Session: 3600,
    },
    adapter: memoryAdapter(),
  });
  const callback = provider.callback();
  handle = (req, res) => {
    const match = /^\/interaction\/([\w-]+)(?:\/(login|confirm|abort))?$/.exec(req.url ?? '');
    if (!match) return callback(req, res);
    interact(provider, account, req, res, match[2]).catch((error: unknown) => {
      res.statusCode = 500;
      res.end(String(error));
    });
  };
  return {
    issuer,
    clientId,
    clientSecret,
    account,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/**
 * oidc-provider's storage for one provider, in this process's memory (the one it ships warns that it
 * is for development only).
 */
function memoryAdapter() {
  const store = new Map<string, { payload: Record<string, unknown>; expiresAt: number }>();
  const live = (key: string) => {
    const entry = store.get(key);
    return entry && entry.expiresAt > Date.now() ? entry.payload : undefined;
  };
  return class MemoryAdapter {
    readonly #model: string;

    constructor(model: string) {
      this.#model = model;
    }

    async upsert(id: string, payload: Record<string, unknown>, expiresIn: number): Promise<void> {
      store.set(`${this.#model}:${id}`, { payload, expiresAt: Date.now() + expiresIn * 1000 });
    }

    async find(id: string): Promise<Record<string, unknown> | undefined> {
      return live(`${this.#model}:${id}`);
    }

    async findByUid(uid: string): Promise<Record<string, unknown> | undefined> {
      for (const [key, entry] of store) {
        if (key.startsWith(`${this.#model}:`) && entry.payload.uid === uid) return live(key);
      }
      return undefined;
    }

    async findByUserCode(): Promise<undefined> {
      return undefined;
    }

    async consume(id: string): Promise<void> {
      const payload = live(`${this.#model}:${id}`);
      if (payload) payload.consumed = Math.floor(Date.now() / 1000);
    }

    async destroy(id: string): Promise<void> {
      store.delete(`${this.#model}:${id}`);
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      for (const [key, entry] of store) if (entry.payload.grantId === grantId) store.delete(key);
    }
  };
}

async function interact(
  provider: Provider,
  account: UpstreamAccount,
  req: IncomingMessage,
  res: ServerResponse,
  action: string | undefined,
): Promise<void> {
  const details = await provider.interactionDetails(req, res);
  if (req.method === 'GET') {
    const prompt = details.prompt.name;
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end(
      `<!doctype html><main data-prompt="${prompt}"><h1>${prompt === 'login' ? 'Sign in to the Test Provider' : 'Allow Warden?'}</h1>` +
        `<form method="post" action="/interaction/${details.uid}/${prompt === 'login' ? 'login' : 'confirm'}"><button>Continue</button></form>` +
        `<form method="post" action="/interaction/${details.uid}/abort"><button>Cancel</button></form></main>`,
    );
    return;
  }
  for await (const _chunk of req) {
    // The forms carry nothing the provider needs.
  }
  if (action === 'abort') {
    await provider.interactionFinished(req, res, {
      error: 'access_denied',
      error_description: 'End-User aborted interaction',
    });
  } else if (action === 'login') {
    await provider.interactionFinished(req, res, { login: { accountId: account.sub } });
  } else {
    const grant = new provider.Grant({
      accountId: details.session!.accountId,
      clientId: String(details.params.client_id),
    });
    const missing = details.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[] };
    if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
    if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
    const grantId = await grant.save();
    await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
  }
}
