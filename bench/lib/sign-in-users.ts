/**
 * The sign-in benchmark's load generator: virtual users, each doing the whole browser flow of one
 * login after another, as a new visitor every time (no cookies kept between logins):
 *
 *   GET /authorize (SPA client, PKCE S256)  -> 303 to the login page
 *   GET /u/login?interaction=…              -> 200, the form, its CSRF token and cookie
 *   POST /u/login (form, cookies, Origin)   -> 303 to the redirect URI with ?code=…&state=…
 *
 * Each login comes from its own loopback source address (127.0.1.1 – 127.0.4.254, in turn), as
 * logins from many people would: the idp allows 50 sign-in attempts per IP in 15 minutes, and
 * that throttle stays on. Started pinned to the load core by `sign-in.ts`:
 * `node --import tsx sign-in-users.ts '<SignInLoadOptions JSON>'`; prints one JSON line.
 */
import { createHash, randomBytes } from 'node:crypto';
import { Agent, request } from 'node:http';

export interface SignInLoadOptions {
  /** `http://127.0.0.1:<port>`: the issuer's origin. */
  origin: string;
  clientId: string;
  redirectUri: string;
  users: { login: string; password: string }[];
  virtualUsers: number;
  warmupSeconds: number;
  durationSeconds: number;
}

export interface SignInLoadResult {
  logins: number;
  seconds: number;
  loginsPerSecond: number;
  /** Time of one whole login (three requests), ms. */
  latencyMs: { p50: number; p99: number; max: number };
  errors: number;
  firstError?: string;
  /** Logins started during the warm-up and the measurement. */
  attempts: number;
}

/** Source addresses in turn; 1,016 of them, so 40 logins each stay under the per-IP limit of 50. */
const SOURCE_ADDRESSES = Array.from(
  { length: 4 * 254 },
  (_, i) => `127.0.${1 + Math.floor(i / 254)}.${1 + (i % 254)}`,
);
const MAX_ATTEMPTS = SOURCE_ADDRESSES.length * 40;

interface Reply {
  status: number;
  location: string | undefined;
  cookies: string[];
  body: string;
}

function send(
  url: URL,
  options: { method: 'GET' | 'POST'; agent: Agent; localAddress: string; cookies: Map<string, string> },
  headers: Record<string, string> = {},
  body?: string,
): Promise<Reply> {
  const cookie = [...options.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: options.method,
        agent: options.agent,
        localAddress: options.localAddress,
        headers: { ...headers, ...(cookie ? { cookie } : {}) },
        timeout: 30_000,
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
        });
        res.on('end', () => {
          const cookies = res.headers['set-cookie'] ?? [];
          for (const line of cookies) {
            const [pair] = line.split(';');
            const eq = pair?.indexOf('=') ?? -1;
            if (pair && eq > 0) options.cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
          }
          resolve({ status: res.statusCode ?? 0, location: res.headers.location, cookies, body: text });
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('request timed out')));
    req.on('error', reject);
    req.end(body);
  });
}

function hiddenField(html: string, name: string): string {
  const tag = new RegExp(`<input[^>]*name="${name}"[^>]*>`).exec(html)?.[0];
  const value = tag ? /value="([^"]*)"/.exec(tag)?.[1] : undefined;
  if (value === undefined) throw new Error(`the login page has no ${name} field`);
  return value
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'");
}

function expect(reply: Reply, status: number, step: string): void {
  if (reply.status !== status) {
    throw new Error(`${step}: expected ${status}, got ${reply.status}: ${reply.body.slice(0, 300)}`);
  }
}

/** One login from a fresh browser; resolves once the code is in hand. */
async function logIn(
  options: SignInLoadOptions,
  user: { login: string; password: string },
  localAddress: string,
) {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const jar = { method: 'GET' as const, agent, localAddress, cookies: new Map<string, string>() };
  try {
    const verifier = randomBytes(32).toString('base64url');
    const state = randomBytes(16).toString('base64url');
    const authorize = new URL('/authorize', options.origin);
    authorize.search = new URLSearchParams({
      response_type: 'code',
      client_id: options.clientId,
      redirect_uri: options.redirectUri,
      scope: 'openid profile email',
      state,
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
    }).toString();
    const started = await send(authorize, jar);
    expect(started, 303, 'GET /authorize');
    const loginPage = new URL(started.location ?? '', options.origin);
    if (loginPage.pathname !== '/u/login') throw new Error(`GET /authorize went to ${started.location}`);
    const page = await send(loginPage, jar);
    expect(page, 200, 'GET /u/login');
    const form = new URLSearchParams({
      login: user.login,
      password: user.password,
      csrf_token: hiddenField(page.body, 'csrf_token'),
      interaction: hiddenField(page.body, 'interaction'),
    }).toString();
    const submitted = await send(
      new URL('/u/login', options.origin),
      { ...jar, method: 'POST' },
      {
        'content-type': 'application/x-www-form-urlencoded',
        origin: options.origin,
        referer: loginPage.href,
      },
      form,
    );
    expect(submitted, 303, 'POST /u/login');
    const back = new URL(submitted.location ?? '', options.origin);
    if (!back.href.startsWith(options.redirectUri) || back.searchParams.get('state') !== state) {
      throw new Error(`POST /u/login went to ${submitted.location}`);
    }
    if (!back.searchParams.get('code')) throw new Error(`no code in ${submitted.location}`);
  } finally {
    agent.destroy();
  }
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function main(): Promise<void> {
  const options = JSON.parse(process.argv[2] ?? '') as SignInLoadOptions;
  if (new URL(options.origin).hostname !== '127.0.0.1') throw new TypeError('origin must be 127.0.0.1');
  if (options.users.length === 0) throw new TypeError('users: at least one');
  const begin = performance.now();
  const measureFrom = begin + options.warmupSeconds * 1000;
  const measureTo = measureFrom + options.durationSeconds * 1000;
  const latencies: number[] = [];
  let attempts = 0;
  let errors = 0;
  let firstError: string | undefined;
  await Promise.all(
    Array.from({ length: options.virtualUsers }, async (_, vu) => {
      const user = options.users[vu % options.users.length]!;
      while (performance.now() < measureTo && attempts < MAX_ATTEMPTS && errors < 10) {
        const address = SOURCE_ADDRESSES[attempts % SOURCE_ADDRESSES.length]!;
        attempts += 1;
        const t0 = performance.now();
        try {
          await logIn(options, user, address);
        } catch (error) {
          errors += 1;
          firstError ??= error instanceof Error ? error.message : String(error);
          continue;
        }
        const t1 = performance.now();
        if (t1 >= measureFrom && t1 <= measureTo) latencies.push(t1 - t0);
      }
    }),
  );
  const sorted = latencies.sort((a, b) => a - b);
  const result: SignInLoadResult = {
    logins: sorted.length,
    seconds: options.durationSeconds,
    loginsPerSecond: Math.round((sorted.length / options.durationSeconds) * 10) / 10,
    latencyMs: {
      p50: Math.round(percentile(sorted, 50)),
      p99: Math.round(percentile(sorted, 99)),
      max: Math.round(sorted.at(-1) ?? 0),
    },
    errors,
    ...(firstError ? { firstError } : {}),
    attempts,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
