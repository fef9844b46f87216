import { AdminError, type UpstreamSettings } from '@warden/server';

/** The settings most connection types share, given by their own CLI flags and file keys. */
export interface SharedSettings {
  issuer?: string | undefined;
  clientId?: string | undefined;
  scopes?: string[] | undefined;
}

/** Setting names with a flag of their own (or none at all, for the secret), refused in `--setting`. */
const ownFlags: Record<string, string> = {
  issuer: '--issuer (issuer: in a file)',
  clientId: '--client-id (client_id: in a file)',
  scopes: '--scope (scopes: in a file)',
  clientSecret: '--client-secret (client_secret: in a file)',
};

/**
 * One connection's settings for its method: the shared ones given, then the type's others. Checks
 * only that no setting comes twice (a shared one also among the others is refused, naming its
 * flag); the method checks the values.
 */
export function connectionSettings(shared: SharedSettings, other: UpstreamSettings): UpstreamSettings {
  for (const key of Object.keys(other)) {
    const flag = ownFlags[key];
    if (flag) throw new AdminError(`--setting ${key}: give it with ${flag}`);
  }
  return {
    ...other,
    ...(shared.issuer !== undefined && { issuer: shared.issuer }),
    ...(shared.clientId !== undefined && { clientId: shared.clientId }),
    ...(shared.scopes !== undefined && { scopes: shared.scopes }),
  };
}
