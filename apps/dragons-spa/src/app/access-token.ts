import { inject, type ResourceRef, resource } from '@angular/core';
import { AuthService, decodeJwt } from '@warden/angular';

/** An access token taken apart for display. Nothing here is verified: the API does that. */
export interface DecodedAccessToken {
  raw: string;
  /** The three base64url parts: header, payload, signature. */
  parts: [string, string, string];
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  /** Bytes on the wire (the token is ASCII). */
  size: number;
}

export function decodeAccessToken(raw: string): DecodedAccessToken {
  const { header, payload } = decodeJwt(raw);
  const [h = '', p = '', s = ''] = raw.split('.');
  return { raw, parts: [h, p, s], header, payload, size: new TextEncoder().encode(raw).length };
}

/** The current access token, decoded; loads when a user signs in (call in an injection context). */
export function accessTokenResource(): ResourceRef<DecodedAccessToken | undefined> {
  const auth = inject(AuthService);
  return resource({
    params: () => (auth.isAuthenticated() ? { user: auth.user() } : undefined),
    loader: async () => decodeAccessToken(await auth.getAccessToken()),
  });
}
