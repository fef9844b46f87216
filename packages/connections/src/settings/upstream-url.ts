const LOCALHOST = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * What is wrong with `value` as the URL of an upstream issuer or endpoint, or undefined when it is
 * fine: it must be absolute, at most 2048 characters, without credentials or fragment, and https;
 * plain http only for localhost, 127.0.0.1 and [::1], and only when `allowInsecureLocalhost`. It
 * does NOT reach the URL.
 */
export function upstreamUrlProblem(value: unknown, allowInsecureLocalhost: boolean): string | undefined {
  if (typeof value !== 'string' || value === '' || value.length > 2048) {
    return 'must be an https URL of at most 2048 characters';
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `${value} is not an absolute URL`;
  }
  if (url.username || url.password) return 'must not hold a user name or password';
  if (url.hash) return 'must not have a fragment';
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:' && LOCALHOST.has(url.hostname)) {
    return allowInsecureLocalhost
      ? undefined
      : 'must use https (plain http is allowed for localhost only when the server allows it: allowInsecureLocalhost)';
  }
  return 'must use https';
}
