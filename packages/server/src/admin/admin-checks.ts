import { hasControlCharacter, importKey } from '@warden/protocol';
import type { ClientType, EncryptionSettings, SigningAlg } from '../storage/storage.js';
import { AdminError } from './admin-error.js';

/**
 * The checks every administration path shares (the CLI, registration files, the management API):
 * each throws an `AdminError` (`invalid`) whose message names the option, and returns the value
 * as it is stored.
 */

export const signingAlgs: readonly SigningAlg[] = ['RS256', 'PS256', 'ES256', 'EdDSA'];
export const clientTypes: readonly ClientType[] = ['spa', 'web', 'm2m', 'native'];

/** The longest access token lifetime an API may set: 30 days, in seconds (Auth0's limit too). */
export const MAX_ACCESS_TOKEN_TTL = 30 * 24 * 3600;

/** An absolute URL without a fragment. */
export function checkUrl(value: unknown, what: string): string {
  let url: URL;
  try {
    url = new URL(String(value));
  } catch {
    throw new AdminError(`${what} must be an absolute URL: ${String(value)}`);
  }
  if (typeof value !== 'string' || hasControlCharacter(value))
    throw new AdminError(`${what} must be an absolute URL: ${String(value)}`);
  if (url.hash) throw new AdminError(`${what} must not contain a fragment: ${value}`);
  return value;
}

/** `scheme://host[:port]`, returned without a trailing slash. */
export function checkOrigin(value: unknown): string {
  const url = new URL(checkUrl(value, '--origin'));
  if (url.origin !== (value as string).replace(/\/$/, ''))
    throw new AdminError(`--origin is scheme://host[:port] only: ${String(value)}`);
  return url.origin;
}

/** A display name: 1 to `max` characters without control characters, trimmed. */
export function checkName(value: unknown, what: string, max = 128): string {
  if (typeof value !== 'string' || value.trim() === '') throw new AdminError(`${what} is required`);
  if (value.length > max || hasControlCharacter(value)) {
    throw new AdminError(`${what} must be 1 to ${max} characters without control characters`);
  }
  return value.trim();
}

/** One of `clientTypes`. */
export function checkClientType(value: unknown): ClientType {
  if (!clientTypes.includes(value as ClientType))
    throw new AdminError(`--type must be one of ${clientTypes.join(', ')}`);
  return value as ClientType;
}

/** One of `signingAlgs`. */
export function checkSigningAlg(value: unknown): SigningAlg {
  if (!signingAlgs.includes(value as SigningAlg))
    throw new AdminError(`--alg must be one of ${signingAlgs.join(', ')}`);
  return value as SigningAlg;
}

/** An RFC 6749 scope-token (printable ASCII but space, `"` and `\`), at most 280 characters. */
export function checkScope(value: unknown): string {
  if (typeof value !== 'string' || value.length > 280 || !/^[\x21\x23-\x5B\x5D-\x7E]+$/.test(value))
    throw new AdminError(`invalid scope: ${String(value)}`);
  return value;
}

/** Seconds from 1 to `MAX_ACCESS_TOKEN_TTL`, whole. */
export function checkAccessTokenTtl(value: unknown): number {
  if (!Number.isInteger(value) || (value as number) < 1 || (value as number) > MAX_ACCESS_TOKEN_TTL)
    throw new AdminError(`--ttl must be whole seconds from 1 to ${MAX_ACCESS_TOKEN_TTL}`);
  return value as number;
}

/** The API's encryption key must import as a public key of the algorithm it names. */
export async function checkEncryptionKey(settings: EncryptionSettings): Promise<void> {
  if (settings.alg !== 'RSA-OAEP-256' && settings.alg !== 'ECDH-ES') {
    throw new AdminError('encryption.alg must be RSA-OAEP-256 or ECDH-ES');
  }
  try {
    const key = await importKey({ ...settings.publicJwk, alg: settings.alg });
    if (key.isPrivate) throw new AdminError('give the public encryption key only');
  } catch (error) {
    if (error instanceof AdminError) throw error;
    throw new AdminError(`the encryption key is not usable: ${(error as Error).message}`);
  }
}
