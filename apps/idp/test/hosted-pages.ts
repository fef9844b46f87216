import { createHash, randomBytes } from 'node:crypto';

/** An app's sign-in request to `issuer` (code + PKCE S256, state, nonce), as the Dragons app sends it. */
export function signInRequest(issuer: string, clientId: string, redirectUri: string) {
  const verifier = randomBytes(32).toString('base64url');
  const state = randomBytes(16).toString('base64url');
  const url = new URL('authorize', issuer);
  for (const [name, value] of Object.entries({
    response_type: 'code',
    client_id: clientId,
    redirect_uri: redirectUri,
    scope: 'openid profile email',
    state,
    nonce: randomBytes(16).toString('base64url'),
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  })) {
    url.searchParams.set(name, value);
  }
  return { url: url.href, verifier, state };
}

/** The "Continue with …" links of a login page: label → href. */
export function connectionLinks(html: string): Map<string, string> {
  const links = new Map<string, string>();
  for (const match of html.matchAll(
    /<a class="[^"]*\bconnection\b[^"]*" href="([^"]*)"[^>]*>([\s\S]*?)<\/a>/g,
  )) {
    const label = /Continue with ([^<]*)</.exec(match[2] ?? '')?.[1];
    if (label) links.set(label.trim(), match[1]!.replace(/&amp;/g, '&'));
  }
  return links;
}

/** The "Continue with `label`" link of a login page; throws when there is none. */
export function connectionLink(html: string, label: string): string {
  const link = connectionLinks(html).get(label);
  if (!link) throw new Error(`no "Continue with ${label}" on the page`);
  return link;
}

export function hasPasswordForm(html: string): boolean {
  return html.includes('name="password"');
}
