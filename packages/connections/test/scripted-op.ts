import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  generateSigningKey,
  type ImportedKey,
  importKey,
  importKeySet,
  type PublicJwk,
  randomToken,
  signJwt,
  verifyJwt,
} from '@warden/protocol';

/** How the discovery document is served. */
export type DiscoveryScript =
  | 'ok'
  | 'hang'
  | 'not-json'
  | 'not-found'
  | 'other-issuer'
  | 'http-token-endpoint';
/** How the authorization endpoint answers. */
export type AuthorizeScript = 'ok' | 'deny' | 'server_error' | 'temporarily_unavailable' | 'wrong-iss';
/** How the token endpoint answers (the `wrong-*`, `no-nonce` and `expired` ones in the ID token). */
export type TokenScript =
  | 'ok'
  | 'hang'
  | 'hang-body'
  | 'not-json'
  | 'no-access-token'
  | 'invalid_grant'
  | 'wrong-key'
  | 'wrong-aud'
  | 'wrong-iss'
  | 'wrong-nonce'
  | 'no-nonce'
  | 'expired'
  | 'wrong-azp';

/** An Apple-style client: its secret is an ES256 JWT to verify with this key. */
export interface AppleClient {
  publicJwk: PublicJwk;
  teamId: string;
}

export interface ScriptedOp {
  /** `http://127.0.0.1:<port>`. */
  issuer: string;
  clientId: string;
  clientSecret: string;
  discovery: DiscoveryScript;
  authorize: AuthorizeScript;
  token: TokenScript;
  /** How many times each was asked. */
  counts: { discovery: number; token: number };
  /** Stops listening and drops open connections: from now on the port refuses. */
  stop(): Promise<void>;
}

const SUB = 'user-1';

/**
 * An OpenID Provider written for failing on purpose, over real HTTP on a free port: its discovery
 * document, authorization endpoint (approves at once; with `response_mode=form_post` it answers the
 * auto-submitting form, with Apple's `user` JSON when the name was asked for) and token endpoint
 * follow the script set on it, so a test can make it refuse, hang, answer garbage or sign a bad ID
 * token. ID tokens are dated by `clock`, the test's. The client authenticates with
 * `client_secret_basic`, or, for an Apple-style client, with an ES256 JWT in the form.
 */
export async function startScriptedOp(options: {
  clock: () => number;
  redirectUri: string;
  apple?: AppleClient;
}): Promise<ScriptedOp> {
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => res.writeHead(500).end(String(error)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const signing = await generateSigningKey('RS256', { kid: 'k1' });
  const impostor = await generateSigningKey('RS256', { kid: 'k1' });
  const keys = { good: await importKey(signing.privateJwk), bad: await importKey(impostor.privateJwk) };
  const apple = options.apple && (await importKeySet({ keys: [options.apple.publicJwk] }));
  const codes = new Map<string, { nonce: string | undefined; challenge: string | undefined }>();
  const op: ScriptedOp = {
    issuer,
    clientId: 'scripted-client',
    clientSecret: randomToken(24),
    discovery: 'ok',
    authorize: 'ok',
    token: 'ok',
    counts: { discovery: 0, token: 0 },
    async stop() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
  const now = () => Math.floor(options.clock() / 1000);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', issuer);
    switch (`${req.method} ${url.pathname}`) {
      case 'GET /.well-known/openid-configuration':
        return discovery(res);
      case 'GET /jwks':
        return json(res, 200, { keys: [signing.publicJwk] });
      case 'GET /authorize':
        return authorize(url.searchParams, res);
      case 'POST /token':
        return token(req, new URLSearchParams(await readBody(req)), res);
      default:
        return json(res, 404, { error: 'invalid_request' });
    }
  }

  function discovery(res: ServerResponse): void {
    op.counts.discovery++;
    if (op.discovery === 'hang') return;
    if (op.discovery === 'not-json') text(res, 200, 'text/html', '<html>Welcome!</html>');
    else if (op.discovery === 'not-found') text(res, 404, 'text/html', '<html>Not found</html>');
    else
      json(res, 200, {
        issuer: op.discovery === 'other-issuer' ? 'https://other.example' : issuer,
        authorization_endpoint: `${issuer}/authorize`,
        token_endpoint:
          op.discovery === 'http-token-endpoint' ? 'http://upstream.example/token' : `${issuer}/token`,
        jwks_uri: `${issuer}/jwks`,
        response_types_supported: ['code'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['RS256'],
        code_challenge_methods_supported: ['S256'],
        token_endpoint_auth_methods_supported: options.apple
          ? ['client_secret_post']
          : ['client_secret_basic'],
        authorization_response_iss_parameter_supported: true,
      });
  }

  function authorize(query: URLSearchParams, res: ServerResponse): void {
    if (query.get('client_id') !== op.clientId || query.get('redirect_uri') !== options.redirectUri) {
      text(res, 400, 'text/plain', 'unknown client or redirect_uri');
      return;
    }
    const answer: Record<string, string> = { state: query.get('state') ?? '' };
    answer.iss = op.authorize === 'wrong-iss' ? 'https://evil.example' : issuer;
    if (
      op.authorize === 'deny' ||
      op.authorize === 'server_error' ||
      op.authorize === 'temporarily_unavailable'
    ) {
      answer.error = op.authorize === 'deny' ? 'access_denied' : op.authorize;
    } else {
      answer.code = randomToken(16);
      codes.set(answer.code, {
        nonce: query.get('nonce') ?? undefined,
        challenge: query.get('code_challenge') ?? undefined,
      });
    }
    if (query.get('response_mode') === 'form_post') {
      if (query.get('scope')?.split(' ').includes('name')) {
        answer.user = JSON.stringify({
          name: { firstName: 'Ada', lastName: 'Apple' },
          email: 'forged@example.com',
        });
      }
      const inputs = Object.entries(answer)
        .map(
          ([name, value]) => `<input type="hidden" name="${name}" value="${value.replace(/"/g, '&quot;')}">`,
        )
        .join('');
      text(
        res,
        200,
        'text/html',
        `<!doctype html><form method="post" action="${options.redirectUri}">${inputs}</form><script>document.forms[0].submit()</script>`,
      );
      return;
    }
    const back = new URL(options.redirectUri);
    for (const [name, value] of Object.entries(answer)) back.searchParams.set(name, value);
    res.writeHead(303, { location: back.href }).end();
  }

  async function token(req: IncomingMessage, form: URLSearchParams, res: ServerResponse): Promise<void> {
    op.counts.token++;
    if (!(await clientAuthenticated(req, form))) return json(res, 401, { error: 'invalid_client' });
    const grant = codes.get(form.get('code') ?? '');
    codes.delete(form.get('code') ?? '');
    const verifier = form.get('code_verifier') ?? '';
    if (
      !grant ||
      form.get('redirect_uri') !== options.redirectUri ||
      (grant.challenge !== undefined &&
        createHash('sha256').update(verifier).digest('base64url') !== grant.challenge)
    ) {
      return json(res, 400, { error: 'invalid_grant', error_description: 'bad code' });
    }
    switch (op.token) {
      case 'hang':
        return;
      case 'hang-body':
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"access_token":');
        return;
      case 'not-json':
        return text(res, 200, 'text/html', '<html>Service temporarily overloaded</html>');
      case 'no-access-token':
        return json(res, 200, { token_type: 'Bearer', id_token: await idToken(grant.nonce, keys.good, {}) });
      case 'invalid_grant':
        return json(res, 400, { error: 'invalid_grant', error_description: 'code already used' });
    }
    const tampered: Record<string, Record<string, unknown>> = {
      'wrong-aud': { aud: 'someone-else' },
      'wrong-iss': { iss: 'https://evil.example' },
      'wrong-nonce': { nonce: 'not-the-nonce' },
      'no-nonce': { nonce: undefined },
      expired: { iat: now() - 7200, exp: now() - 3600 },
      'wrong-azp': { aud: [op.clientId, 'someone-else'], azp: 'someone-else' },
    };
    const key = op.token === 'wrong-key' ? keys.bad : keys.good;
    json(res, 200, {
      access_token: randomToken(24),
      token_type: 'Bearer',
      expires_in: 300,
      id_token: await idToken(grant.nonce, key, tampered[op.token] ?? {}),
    });
  }

  function idToken(
    nonce: string | undefined,
    key: ImportedKey,
    changes: Record<string, unknown>,
  ): Promise<string> {
    const claims: Record<string, unknown> = {
      iss: issuer,
      sub: SUB,
      aud: op.clientId,
      iat: now(),
      exp: now() + 300,
      nonce,
      email: 'user-1@scripted.example',
      email_verified: options.apple ? 'true' : true,
      name: 'Scripted User',
      ...changes,
    };
    return signJwt(JSON.parse(JSON.stringify(claims)), key);
  }

  async function clientAuthenticated(req: IncomingMessage, form: URLSearchParams): Promise<boolean> {
    if (options.apple) {
      if (form.get('client_id') !== op.clientId || !apple) return false;
      try {
        const { payload, header } = await verifyJwt(form.get('client_secret') ?? '', apple, {
          issuer: options.apple.teamId,
          audience: issuer,
          currentTime: now(),
        });
        return payload.sub === op.clientId && header.kid === options.apple.publicJwk.kid;
      } catch {
        return false;
      }
    }
    // RFC 6749 §2.3.1: each half form-encoded before Base64.
    const basic = /^Basic (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
    const [id, secret] = Buffer.from(basic ?? '', 'base64')
      .toString('utf8')
      .split(':')
      .map(decodeURIComponent);
    return id === op.clientId && secret === op.clientSecret;
  }

  return op;
}

function json(res: ServerResponse, status: number, body: unknown): void {
  text(res, status, 'application/json', JSON.stringify(body));
}

function text(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'content-type': type }).end(body);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
