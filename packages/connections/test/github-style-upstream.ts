import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomToken } from '@warden/protocol';

export interface GitHubUser {
  id?: number;
  login: string;
  name: string | null;
  email: string | null;
  avatar_url: string;
}

export interface GitHubEmail {
  email: string;
  primary: boolean;
  verified: boolean;
  visibility: string | null;
}

export interface GitHubStyleUpstream {
  /** `http://127.0.0.1:<port>`. */
  origin: string;
  clientId: string;
  clientSecret: string;
  /** The user the authorization page approves (change it between tests). */
  user: GitHubUser;
  emails: GitHubEmail[];
  /** When true the user cancels at the authorization page (`error=access_denied`). */
  deny: boolean;
  /** The last authorization request's parameters. */
  lastAuthorize: URLSearchParams | undefined;
  /** The last token request: its Accept header and form. */
  lastToken:
    | { accept: string | undefined; authorization: string | undefined; form: URLSearchParams }
    | undefined;
  /** Its endpoints, as settings of a `github` connection. */
  endpoints: {
    authorizationEndpoint: string;
    tokenEndpoint: string;
    profileEndpoint: string;
    emailsEndpoint: string;
  };
  close(): Promise<void>;
}

/**
 * A small OAuth 2.0 provider that behaves as GitHub does, over real HTTP on a free port:
 * - `GET /login/oauth/authorize` approves the configured user at once (or cancels with `deny`),
 *   checks `client_id` and `redirect_uri`, keeps the PKCE challenge, sends back `code` and `state`;
 * - `POST /login/oauth/access_token` takes the client's id and secret in the form (GitHub's way),
 *   checks the code (once), the redirect URI and the PKCE verifier, and answers JSON when asked
 *   with `Accept: application/json`, else a form; errors come with status 200, as GitHub's do;
 * - `GET /user` and `GET /user/emails` with `Authorization: Bearer` (or `token`) the access token;
 *   the emails need the `user:email` scope (else 404, as GitHub answers).
 */
export async function startGitHubStyleUpstream(options: {
  redirectUri: string;
}): Promise<GitHubStyleUpstream> {
  const codes = new Map<string, { redirectUri: string; challenge: string | undefined; scope: string }>();
  const tokens = new Map<string, { scope: string }>();
  const upstream: Omit<GitHubStyleUpstream, 'origin' | 'endpoints' | 'close'> = {
    clientId: 'Iv1.test-client',
    clientSecret: randomToken(20),
    user: {
      id: 12345,
      login: 'octocat',
      name: 'The Octocat',
      email: null,
      avatar_url: 'https://avatars.example/u/12345',
    },
    emails: [
      { email: 'octocat@users.example', primary: false, verified: true, visibility: null },
      { email: 'octocat@github.example', primary: true, verified: true, visibility: 'public' },
    ],
    deny: false,
    lastAuthorize: undefined,
    lastToken: undefined,
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://upstream');
    if (req.method === 'GET' && url.pathname === '/login/oauth/authorize') {
      const query = url.searchParams;
      upstream.lastAuthorize = query;
      if (query.get('client_id') !== upstream.clientId || query.get('redirect_uri') !== options.redirectUri) {
        return send(
          res,
          400,
          'text/plain',
          'The redirect_uri MUST match the registered callback URL for this application.',
        );
      }
      const back = new URL(options.redirectUri);
      if (upstream.deny) {
        back.searchParams.set('error', 'access_denied');
        back.searchParams.set('error_description', 'The user has denied your application access.');
      } else {
        const code = randomToken(16);
        codes.set(code, {
          redirectUri: options.redirectUri,
          challenge: query.get('code_challenge') ?? undefined,
          scope: query.get('scope') ?? '',
        });
        back.searchParams.set('code', code);
      }
      if (query.has('state')) back.searchParams.set('state', query.get('state')!);
      res.writeHead(302, { location: back.href }).end();
      return;
    }
    if (req.method === 'POST' && url.pathname === '/login/oauth/access_token') {
      const form = new URLSearchParams(await readBody(req));
      const accept = req.headers.accept;
      upstream.lastToken = { accept, authorization: req.headers.authorization, form };
      const answer = (body: Record<string, string>) =>
        accept?.includes('application/json')
          ? send(res, 200, 'application/json', JSON.stringify(body))
          : send(res, 200, 'application/x-www-form-urlencoded', new URLSearchParams(body).toString());
      if (
        form.get('client_id') !== upstream.clientId ||
        form.get('client_secret') !== upstream.clientSecret
      ) {
        return answer({
          error: 'incorrect_client_credentials',
          error_description: 'The client_id and/or client_secret passed are incorrect.',
        });
      }
      const grant = codes.get(form.get('code') ?? '');
      codes.delete(form.get('code') ?? '');
      const verifier = form.get('code_verifier');
      const pkceOk =
        grant?.challenge === undefined ||
        (verifier !== null && createHash('sha256').update(verifier).digest('base64url') === grant.challenge);
      if (!grant || grant.redirectUri !== form.get('redirect_uri') || !pkceOk) {
        return answer({
          error: 'bad_verification_code',
          error_description: 'The code passed is incorrect or expired.',
        });
      }
      const token = `gho_${randomToken(18)}`;
      tokens.set(token, { scope: grant.scope });
      return answer({ access_token: token, scope: grant.scope.split(' ').join(','), token_type: 'bearer' });
    }
    if (req.method === 'GET' && (url.pathname === '/user' || url.pathname === '/user/emails')) {
      const token = /^(?:Bearer|token) (\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
      const grant = token === undefined ? undefined : tokens.get(token);
      if (!grant)
        return send(res, 401, 'application/json', JSON.stringify({ message: 'Requires authentication' }));
      if (url.pathname === '/user') return send(res, 200, 'application/json', JSON.stringify(upstream.user));
      if (!grant.scope.split(' ').includes('user:email')) {
        return send(res, 404, 'application/json', JSON.stringify({ message: 'Not Found' }));
      }
      return send(res, 200, 'application/json', JSON.stringify(upstream.emails));
    }
    send(res, 404, 'application/json', JSON.stringify({ message: 'Not Found' }));
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => send(res, 500, 'text/plain', String(error)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return Object.assign(upstream, {
    origin,
    endpoints: {
      authorizationEndpoint: `${origin}/login/oauth/authorize`,
      tokenEndpoint: `${origin}/login/oauth/access_token`,
      profileEndpoint: `${origin}/user`,
      emailsEndpoint: `${origin}/user/emails`,
    },
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  });
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'content-type': type }).end(body);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
