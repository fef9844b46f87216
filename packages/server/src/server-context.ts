import { createPreSessionCsrf, type PreSessionCsrf } from '@warden/session';
import { AuditLog } from './audit/audit-log.js';
import type { RequestLookups } from './authorize/authorization-request.js';
import type { ServerConfig } from './config.js';
import { KeyManager } from './keys/key-manager.js';
import { Registry } from './registry/registry.js';
import { Revocations } from './revocation/revocations.js';
import { LoginThrottle } from './security/login-throttle.js';
import { SsoSessions } from './sso/sso-sessions.js';
import type { Storage } from './storage/storage.js';
import { TokenIssuer } from './tokens/token-issuer.js';

/** Everything an endpoint needs, built once per server. */
export interface ServerContext {
  config: ServerConfig;
  storage: Storage;
  keys: KeyManager;
  tokens: TokenIssuer;
  sso: SsoSessions;
  throttle: LoginThrottle;
  /** Sign-ups per IP (`retryAfterIp`, `recordIp`), with the same settings as `throttle`. */
  signupThrottle: LoginThrottle;
  revocations: Revocations;
  /** Clients and APIs, cached for a second (the hot paths read them on every request). */
  registry: Registry;
  lookups: RequestLookups;
  /** CSRF tokens of the forms shown before a session exists (login, sign-up). */
  loginCsrf: PreSessionCsrf;
  /** The audit log: `record` an event, or a management `change` / `refusal`. */
  audit: AuditLog;
}

export function createServerContext(config: ServerConfig): ServerContext {
  const { storage } = config;
  /** The longest a token of this issuer can live: how long revocations and retired keys are kept. */
  const maxTokenLifetime = async () => {
    const apis = await registry.apis();
    return Math.max(config.ttl.idToken, config.ttl.accessToken, ...apis.map((api) => api.accessTokenTtl));
  };
  const registry = new Registry(storage, config.clock, config.issuer);
  const keys = new KeyManager({ storage, clock: config.clock, retiredKeyLifetime: maxTokenLifetime });
  return {
    config,
    storage,
    keys,
    tokens: new TokenIssuer(config, keys),
    sso: new SsoSessions(config),
    throttle: new LoginThrottle(config.throttle, config.clock),
    signupThrottle: new LoginThrottle(config.throttle, config.clock),
    revocations: new Revocations(config, maxTokenLifetime),
    loginCsrf: createPreSessionCsrf({
      secret: config.secret,
      secure: !config.insecureLocalhost,
      clock: config.clock,
    }),
    registry,
    lookups: registry,
    audit: new AuditLog({
      storage,
      logger: config.logger,
      clock: config.clock,
      clientName: async (clientId) => (await registry.client(clientId))?.name,
    }),
  };
}
