import type { Verifier } from './create-verifier.js';
import { checkPolicies, type Policy } from './policy.js';
import type { Principal } from './principal.js';
import type { RequestLike } from './token-locations.js';

/**
 * What every adapter does per request: `verifier.verify(request)`, then every policy in order.
 * Throws the first `OAuthError` (401/400 from the token, 403 from a policy, 503 when keys or
 * revocation status are unavailable). It does NOT render anything.
 */
export async function authenticate(
  verifier: Verifier,
  request: RequestLike,
  policies: readonly Policy[],
): Promise<Principal> {
  return authenticateNow(verifier, request, policies);
}

/**
 * `authenticate` without a promise when the verifier can answer at once (`verifier.verifyNow`):
 * returns the principal or throws synchronously, and returns a promise only while the verifier
 * waits (keys being fetched, a verifier without `verifyNow`).
 */
export function authenticateNow(
  verifier: Verifier,
  request: RequestLike,
  policies: readonly Policy[],
): Principal | Promise<Principal> {
  const result = verifier.verifyNow === undefined ? verifier.verify(request) : verifier.verifyNow(request);
  if (result instanceof Promise) {
    return result.then((principal) => {
      checkPolicies(principal, policies);
      return principal;
    });
  }
  checkPolicies(result, policies);
  return result;
}

/** Whether a request may carry the token in a form body the adapter should read. */
export function wantsFormBody(
  verifier: Verifier,
  method: string,
  contentType: string | null | undefined,
): boolean {
  return (
    verifier.tokenLocations.includes('body') &&
    method !== 'GET' &&
    method !== 'HEAD' &&
    /^application\/x-www-form-urlencoded\s*(?:;|$)/i.test(contentType ?? '')
  );
}

/** The parameters of a form or query string, a repeated name as an array (so repeats are refused). */
export function toParameterRecord(params: URLSearchParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = Object.create(null);
  for (const [name, value] of params) {
    const previous = out[name];
    out[name] =
      previous === undefined ? value : [...(Array.isArray(previous) ? previous : [previous]), value];
  }
  return out;
}

/** The query of a request target (`/path?a=b`), or of an absolute URL. */
export function queryOf(url: string): URLSearchParams {
  const mark = url.indexOf('?');
  if (mark < 0) return new URLSearchParams();
  const hash = url.indexOf('#', mark);
  return new URLSearchParams(url.slice(mark + 1, hash < 0 ? undefined : hash));
}

/**
 * Node's HTTP server keeps only the first of repeated `Authorization` lines; this puts every one
 * back (from `rawHeaders`) so a request with two is refused instead of silently using the first.
 */
export function withEveryAuthorization(
  headers: Record<string, string | string[] | undefined>,
  rawHeaders: readonly string[] | undefined,
): Record<string, string | string[] | undefined> {
  if (rawHeaders === undefined) return headers;
  let values: string[] | undefined;
  let count = 0;
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!;
    if (name.length !== 13 || name.toLowerCase() !== 'authorization') continue;
    count++;
    values = [...(values ?? []), rawHeaders[i + 1]!];
  }
  return count < 2 ? headers : { ...headers, authorization: values };
}
