/**
 * CORS for the endpoints browsers call directly (token, userinfo, revoke, JWKS): only origins that
 * some client registered as allowed get an `Access-Control-Allow-Origin`, and never with
 * credentials (these endpoints use no cookies).
 */
export class CorsPolicy {
  readonly #origins: () => Promise<Set<string>>;

  constructor(origins: () => Promise<Set<string>>) {
    this.#origins = origins;
  }

  /** Answers a preflight: 204 with the CORS headers for an allowed origin, 403 otherwise. */
  async preflight(request: Request, methods: string): Promise<Response> {
    const origin = request.headers.get('origin');
    if (!origin || !(await this.#origins()).has(origin)) {
      return new Response(null, { status: 403, headers: { vary: 'Origin' } });
    }
    return new Response(null, {
      status: 204,
      headers: {
        'access-control-allow-origin': origin,
        'access-control-allow-methods': methods,
        'access-control-allow-headers': 'authorization, content-type, dpop',
        'access-control-max-age': '600',
        vary: 'Origin',
      },
    });
  }

  /** Adds the CORS headers to an actual response (in place) when the request's origin is allowed. */
  async apply(request: Request, response: Response): Promise<Response> {
    const origin = request.headers.get('origin');
    response.headers.append('vary', 'Origin');
    if (origin && (await this.#origins()).has(origin)) {
      response.headers.set('access-control-allow-origin', origin);
      response.headers.set('access-control-expose-headers', 'www-authenticate');
    }
    return response;
  }
}
