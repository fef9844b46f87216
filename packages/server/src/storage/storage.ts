import type { RevocationEntry } from '@warden/protocol';

/**
 * The authorization server's persistence contract. One implementation over Kysely serves both
 * SQLite (embedded default) and PostgreSQL. Every time is epoch seconds; every secret is stored
 * only as a SHA-256 hash (hex) and looked up by that hash.
 */

export type ClientType = 'spa' | 'web' | 'm2m' | 'native';
export type SigningAlg = 'RS256' | 'PS256' | 'ES256' | 'EdDSA';
export type KeyStatus = 'next' | 'current' | 'retired' | 'revoked';

export interface Client {
  clientId: string;
  name: string;
  type: ClientType;
  /** SHA-256 hex of the client secret; null for public clients (spa, native). */
  secretHash: string | null;
  redirectUris: string[];
  allowedOrigins: string[];
  postLogoutRedirectUris: string[];
  /** API identifiers an m2m client may get tokens for (client_credentials). */
  apis: string[];
  /**
   * The scopes granted per API of `apis`, where the grant is narrower than the API's scopes; an
   * API not named here grants all its scopes, as they are at the time of the token request.
   */
  apiScopes: Record<string, string[]>;
  /** Third-party clients always see the consent screen; first-party ones skip it. */
  thirdParty: boolean;
  /** Allows the article's implicit `response_type=token id_token`. Off by default. */
  legacyImplicit: boolean;
  createdAt: number;
}

export interface EncryptionSettings {
  /** Key management algorithm: RSA-OAEP-256 or ECDH-ES. Content encryption is always A256GCM. */
  alg: 'RSA-OAEP-256' | 'ECDH-ES';
  /** The API's public key as a JWK. */
  publicJwk: Record<string, unknown>;
}

export interface Api {
  identifier: string;
  name: string;
  signingAlg: SigningAlg;
  /** When on, access tokens carry `roles` and `permissions`. */
  rbac: boolean;
  /**
   * Auth0's "Allow Skipping User Consent": when on, users of first-party clients are not asked to
   * consent to this API's scopes (third-party clients always ask).
   */
  skipConsent: boolean;
  scopes: string[];
  /** What each scope lets a client do, for the administrators' eyes (by scope; may be partial). */
  scopeDescriptions: Record<string, string>;
  accessTokenTtl: number;
  encryption: EncryptionSettings | null;
  createdAt: number;
}

export interface User {
  /** Generated for password users; `<provider>|<upstream id>` for users an upstream signed in. */
  id: string;
  /**
   * Stored and returned in canonical form (`normalizeEmail`): lowercase, NFC, Unicode domain. Null
   * when an upstream account came without one.
   */
  email: string | null;
  /** Stored and returned in canonical form (`normalizeUsername`); `nickname` keeps it as typed. */
  username: string | null;
  /** Null for users who sign in only through upstream connections. */
  passwordHash: string | null;
  name: string | null;
  nickname: string | null;
  picture: string | null;
  givenName: string | null;
  familyName: string | null;
  /** BCP 47 language tag, as upstreams send it. */
  locale: string | null;
  emailVerified: boolean;
  /** A blocked user cannot sign in or refresh tokens (`warden users block`, Auth0's `blocked`). */
  blocked: boolean;
  createdAt: number;
  updatedAt: number;
}

/**
 * Which users `users.search` finds (`parseUserQuery` makes one from Auth0's `q`): every user, a
 * user id, an email (exact or by prefix), a name (exact or by prefix, without letter case: see
 * `nameKey`), or a term that prefixes the email or the name. Every one of them is an index range.
 */
export type UserFilter =
  | { kind: 'all' }
  | { kind: 'id'; value: string }
  | { kind: 'email'; value: string; prefix: boolean }
  | { kind: 'name'; value: string; prefix: boolean }
  | { kind: 'term'; value: string };

/**
 * How a connection signs users in: the password database, an upstream OpenID Provider, or an
 * upstream OAuth 2.0 provider without OpenID (GitHub-style).
 */
export type ConnectionStrategy = 'database' | 'oidc' | 'oauth2';

/** One way to sign in, offered to the clients that enable it. */
export interface Connection {
  /** Unique, as in `/authorize?connection=NAME`; the password database is `Username-Password-Authentication`. */
  name: string;
  strategy: ConnectionStrategy;
  /** The preset it was made from (`google`, `github`, …), or null. */
  preset: string | null;
  /** What the login button says after "Continue with". */
  displayName: string;
  /** The strategy's settings (issuer, client id, scopes, endpoints, profile mapping…); never a secret. */
  options: Record<string, unknown>;
  /** The upstream client secret, sealed with the server's secret; null when there is none. */
  sealedSecret: string | null;
  /** Client ids that offer this connection. */
  enabledClients: string[];
  createdAt: number;
  updatedAt: number;
}

/** A user's account at an upstream connection. */
export interface Identity {
  connection: string;
  /** The upstream's id of the account (OpenID `sub`, GitHub's numeric `id`), as text. */
  upstreamId: string;
  /** The provider, as in the user id (`github`, `google-oauth2`, `oidc`). */
  provider: string;
  userId: string;
  /** The profile the upstream sent at the last sign-in. */
  profileData: Record<string, unknown>;
  /** The upstream's tokens, sealed, when the connection keeps them (`storeTokens`); else null. */
  sealedTokens: string | null;
  createdAt: number;
  updatedAt: number;
}

/** What an upstream sign-in may refresh about a user. */
export type UserProfile = Pick<
  User,
  'email' | 'name' | 'nickname' | 'picture' | 'givenName' | 'familyName' | 'locale' | 'emailVerified'
>;

export interface Role {
  /** Stable across renames: `rol_…` (`newId('rol')`), Auth0's role id. */
  id: string;
  /** Unique; what access tokens' `roles` claim lists. */
  name: string;
  description: string;
  /** Permissions granted by the role, each for one API. */
  permissions: { api: string; permission: string }[];
}

export interface SigningKey {
  kid: string;
  alg: SigningAlg;
  status: KeyStatus;
  privateJwk: Record<string, unknown>;
  publicJwk: Record<string, unknown>;
  createdAt: number;
  /** When the key became current (null while next). */
  activatedAt: number | null;
  /** When it stopped signing (null while next or current). */
  retiredAt: number | null;
}

export interface AuthorizationCode {
  codeHash: string;
  clientId: string;
  userId: string;
  redirectUri: string;
  scope: string;
  /** API identifier the access token is for, or null for a userinfo-only token. */
  audience: string | null;
  nonce: string | null;
  codeChallenge: string | null;
  authTime: number;
  sid: string;
  expiresAt: number;
  consumedAt: number | null;
  /** What the exchange issued, so a replay can revoke it. */
  issuedJti: string | null;
  issuedFamilyId: string | null;
}

export interface RefreshToken {
  tokenHash: string;
  familyId: string;
  clientId: string;
  userId: string;
  scope: string;
  audience: string | null;
  sid: string;
  authTime: number;
  createdAt: number;
  expiresAt: number;
  /** Set when the token was exchanged for its successor. */
  spentAt: number | null;
  successorHash: string | null;
  /**
   * The token response that spending this token produced, sealed with a key derived from this
   * (now spent) token, so only its holder can replay it inside the grace window.
   */
  sealedResponse: string | null;
}

export interface TokenFamily {
  id: string;
  clientId: string;
  userId: string;
  revokedAt: number | null;
}

export interface Consent {
  userId: string;
  clientId: string;
  scopes: string[];
  grantedAt: number;
}

export type { RevocationKind } from '@warden/protocol';

/** One entry of the revocation feed that APIs follow. */
export type Revocation = RevocationEntry;

/** A pending authorization request, waiting for the user to sign in or consent. */
export interface Interaction {
  idHash: string;
  /** The validated authorization request, as JSON. */
  params: Record<string, unknown>;
  expiresAt: number;
}

/**
 * One entry of the audit log, in Auth0's log shape (its field names in camelCase here; the
 * management API writes them as Auth0 does, `log_id`, `client_id`…). Never holds a secret: the
 * audit service leaves them out before appending (`ctx.audit`).
 */
export interface LogEntry {
  /** Unique, assigned on append: zero-padded digits that sort in the order entries were written. */
  logId: string;
  /** When it happened, epoch milliseconds (from the server's clock). */
  date: number;
  /** Auth0's event code (`s`, `fp`, `sapi`…), see docs/audit-log.md. */
  type: string;
  description: string | null;
  clientId: string | null;
  clientName: string | null;
  connection: string | null;
  userId: string | null;
  userName: string | null;
  ip: string | null;
  userAgent: string | null;
  /** The reason of a failure, a management change's actor and before/after… */
  details: Record<string, unknown> | null;
}

export type NewLogEntry = Omit<LogEntry, 'logId'>;

/** The fields of a log entry a filter can compare exactly. */
export type LogTextField = 'type' | 'clientId' | 'clientName' | 'connection' | 'userId' | 'userName' | 'ip';

/** One condition of a `LogFilter`: a field equal to any of `anyOf`, or `date` in a range. */
export type LogCondition =
  | { field: LogTextField; anyOf: string[] }
  /** Epoch milliseconds, both ends inclusive; an absent end is open. */
  | { field: 'date'; from?: number; to?: number };

/** Entries that meet every condition (none: every entry). */
export type LogFilter = readonly LogCondition[];

export interface Storage {
  clients: {
    get(clientId: string): Promise<Client | undefined>;
    list(): Promise<Client[]>;
    insert(client: Client): Promise<void>;
    /** Replaces everything but `clientId` and `createdAt`. */
    update(client: Client): Promise<void>;
    /** Deletes the client with its codes, refresh tokens and consents. */
    delete(clientId: string): Promise<void>;
  };
  apis: {
    get(identifier: string): Promise<Api | undefined>;
    list(): Promise<Api[]>;
    insert(api: Api): Promise<void>;
    /** Replaces everything but `identifier` and `createdAt`. */
    update(api: Api): Promise<void>;
    /**
     * Deletes the API, the role permissions for it, and its place in every client's `apis` and
     * `apiScopes`, in one transaction. Tokens already issued for it stay valid until they expire.
     */
    delete(identifier: string): Promise<void>;
  };
  users: {
    get(id: string): Promise<User | undefined>;
    /**
     * Lookup by email or username in canonical form (`normalizeEmail`, `normalizeUsername`): any
     * letter case, composed or decomposed, a domain in Unicode or punycode. A user whose email
     * matches comes before one whose username does.
     */
    findByLogin(login: string): Promise<User | undefined>;
    /**
     * Stores the email and username in canonical form. Rejects (`isUniqueViolation`) a user whose
     * canonical email or username is taken.
     */
    insert(user: User): Promise<void>;
    /** Replaces the profile (email in canonical form); rejects (`isUniqueViolation`) a taken email. */
    updateProfile(id: string, profile: UserProfile, now: number): Promise<void>;
    setPassword(id: string, passwordHash: string, now: number): Promise<void>;
    /**
     * Replaces everything but `id` and `createdAt` (email and username in canonical form); rejects
     * (`isUniqueViolation`) an email or username another user has.
     */
    update(user: User): Promise<void>;
    list(): Promise<User[]>;
    /**
     * Page `page` (from 0) of `perPage` users that `filter` finds, oldest first (`descending`:
     * newest first). Index-backed: as fast with 100,000 users as with ten for an email.
     */
    search(options: {
      filter: UserFilter;
      page: number;
      perPage: number;
      descending?: boolean;
    }): Promise<User[]>;
    /** How many users `filter` finds. */
    count(filter: UserFilter): Promise<number>;
    /** Deletes the user with their role assignments, codes, refresh tokens and consents. */
    delete(id: string): Promise<void>;
  };
  roles: {
    get(name: string): Promise<Role | undefined>;
    byId(id: string): Promise<Role | undefined>;
    /** Every role, by name. */
    list(): Promise<Role[]>;
    /** Creates the role with its permissions; rejects (`isUniqueViolation`) a taken name or id. */
    insert(role: Role): Promise<void>;
    /**
     * Creates the role, or adds permissions to the existing one of that name (whose id stays);
     * an empty description keeps the existing one.
     */
    upsert(role: Role): Promise<void>;
    /**
     * Renames and describes the role `id`; its permissions and assignments follow the name.
     * Rejects (`isUniqueViolation`) a name taken by another role.
     */
    update(id: string, changes: { name: string; description: string }): Promise<void>;
    /** Deletes the role with its permissions and its assignments to users. */
    delete(name: string): Promise<void>;
    /** Adds permissions to the role (those it has stay once). */
    addPermissions(name: string, permissions: Role['permissions']): Promise<void>;
    /** Takes permissions from the role (those it lacks are ignored). */
    removePermissions(name: string, permissions: Role['permissions']): Promise<void>;
    /** Idempotent; rejects when the user or the role does not exist. */
    assign(userId: string, roleName: string): Promise<void>;
    unassign(userId: string, roleName: string): Promise<void>;
    forUser(userId: string): Promise<Role[]>;
    /**
     * The users who have the role, by user id: `take` of them from `offset`, or after the user id
     * `after` (checkpoint paging); with how many have it in all.
     */
    members(
      name: string,
      page: { take: number; offset?: number; after?: string },
    ): Promise<{ userIds: string[]; total: number }>;
  };
  keys: {
    list(): Promise<SigningKey[]>;
    insert(key: SigningKey): Promise<void>;
    setStatus(kid: string, status: KeyStatus, now: number): Promise<void>;
    delete(kid: string): Promise<void>;
  };
  codes: {
    insert(code: AuthorizationCode): Promise<void>;
    get(codeHash: string): Promise<AuthorizationCode | undefined>;
    /**
     * Marks the code consumed. Resolves false when it already was (the caller then treats the
     * request as a replay); exactly one concurrent caller gets true.
     */
    consume(codeHash: string, now: number): Promise<boolean>;
    recordIssued(codeHash: string, jti: string | null, familyId: string | null): Promise<void>;
    /** Forgets codes whose `expiresAt` is at or before `now` (consumed or not). */
    deleteExpired(now: number): Promise<void>;
  };
  refreshTokens: {
    insert(token: RefreshToken): Promise<void>;
    get(tokenHash: string): Promise<RefreshToken | undefined>;
    /** Marks spent with its successor; false when it was already spent (exactly one wins). */
    spend(tokenHash: string, successorHash: string, sealedResponse: string, now: number): Promise<boolean>;
    revokeFamily(familyId: string, now: number): Promise<void>;
    /** True when the family was revoked, or is unknown (fails closed). */
    familyRevoked(familyId: string): Promise<boolean>;
    /** Revokes every family of a user (optionally only of one client). */
    revokeForUser(userId: string, now: number, clientId?: string): Promise<void>;
    revokeForSession(sid: string, now: number): Promise<void>;
    deleteExpired(now: number): Promise<void>;
  };
  consents: {
    get(userId: string, clientId: string): Promise<Consent | undefined>;
    /** Records the union of the previously granted and the new scopes. */
    grant(userId: string, clientId: string, scopes: string[], now: number): Promise<void>;
    /** Forgets every scope the user granted the client. */
    revoke(userId: string, clientId: string): Promise<void>;
  };
  revocations: {
    add(entry: Omit<Revocation, 'seq'>): Promise<Revocation>;
    since(seq: number, limit: number): Promise<Revocation[]>;
    deleteExpired(now: number): Promise<void>;
  };
  interactions: {
    insert(interaction: Interaction): Promise<void>;
    get(idHash: string): Promise<Interaction | undefined>;
    /** Deletes the row and returns it: exactly one of concurrent callers gets it (single use). */
    take(idHash: string): Promise<Interaction | undefined>;
    delete(idHash: string): Promise<void>;
    deleteExpired(now: number): Promise<void>;
  };
  connections: {
    get(name: string): Promise<Connection | undefined>;
    /** Every connection, by name. */
    list(): Promise<Connection[]>;
    /** The connections `clientId` offers, by name. */
    forClient(clientId: string): Promise<Connection[]>;
    /** Stores the connection and its enabled clients; rejects (`isUniqueViolation`) a taken name. */
    insert(connection: Connection): Promise<void>;
    /** Replaces everything but `name` and `createdAt`, the enabled clients included. */
    update(connection: Connection): Promise<void>;
    /** Deletes the connection with its identities (users keep their accounts). */
    delete(name: string): Promise<void>;
    /** Offers the connection to the client (nothing when it already does). */
    enable(name: string, clientId: string): Promise<void>;
    disable(name: string, clientId: string): Promise<void>;
  };
  identities: {
    get(connection: string, upstreamId: string): Promise<Identity | undefined>;
    forUser(userId: string): Promise<Identity[]>;
    /** Rejects (`isUniqueViolation`) an upstream account that is already someone's. */
    insert(identity: Identity): Promise<void>;
    /** Stores a new profile and tokens after a sign-in. */
    update(identity: Identity): Promise<void>;
    delete(connection: string, upstreamId: string): Promise<void>;
  };
  /** The audit log (`kysely-logs.ts`). */
  logs: {
    /**
     * Appends an entry and returns it with its `logId`. Entries become visible in `logId` order
     * (appends are serialized until they commit), so a reader following `listFrom` never skips one.
     */
    append(entry: NewLogEntry): Promise<LogEntry>;
    get(logId: string): Promise<LogEntry | undefined>;
    /**
     * Checkpoint paging, as Auth0's `from`/`take`: with `from` (a log id), up to `take` (1-100)
     * entries written after it, oldest first; without, the newest `take`, newest first. Stays as
     * fast on the millionth entry as on the first (an index range, never OFFSET).
     */
    listFrom(options: { from?: string; take: number; filter?: LogFilter }): Promise<LogEntry[]>;
    /** Page `page` (from 0) of `perPage` (1-100) entries, newest first unless `ascending`. */
    listPage(options: {
      page: number;
      perPage: number;
      ascending?: boolean;
      filter?: LogFilter;
    }): Promise<LogEntry[]>;
    count(filter?: LogFilter): Promise<number>;
    /** Deletes entries dated before `date` (epoch ms); returns how many. */
    deleteOlderThan(date: number): Promise<number>;
    /**
     * How many entries of each of `types` are dated in [`from`, `to`) (epoch ms), per period of
     * `period` ms counted from the epoch (an hour, a day: UTC). Periods without entries are left
     * out. A range of the `(type, date, user_id)` index, whatever the size of the log.
     */
    countByPeriod(options: {
      types: readonly string[];
      from: number;
      to: number;
      period: number;
    }): Promise<{ start: number; type: string; count: number }[]>;
    /** How many different users have an entry of `type` dated in [`from`, `to`) (the same index). */
    countUsers(options: { type: string; from: number; to: number }): Promise<number>;
  };
  /**
   * Fixed-window request counters (`kysely-rate-limits.ts`), shared by every process on the
   * database: a limit holds across idp instances.
   */
  rateLimits: {
    /**
     * Counts one request of `key` in the window starting at `windowStart` (epoch ms), atomically,
     * and returns the window's count with its start. A later window starts again at 1; a request
     * stamped with an earlier window than the stored one (a process whose clock lags) counts in
     * the stored one.
     */
    hit(key: string, windowStart: number): Promise<{ count: number; windowStart: number }>;
    /** Deletes the counters whose window started before `windowStart`; returns how many. */
    deleteBefore(windowStart: number): Promise<number>;
  };
  /** Runs `fn` in one transaction (both dialects). */
  transaction<T>(fn: (storage: Storage) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
