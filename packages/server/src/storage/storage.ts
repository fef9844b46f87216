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
  scopes: string[];
  accessTokenTtl: number;
  encryption: EncryptionSettings | null;
  createdAt: number;
}

export interface User {
  id: string;
  /** Stored and returned in canonical form (`normalizeEmail`): lowercase, NFC, Unicode domain. */
  email: string;
  /** Stored and returned in canonical form (`normalizeUsername`); `nickname` keeps it as typed. */
  username: string | null;
  passwordHash: string;
  name: string | null;
  nickname: string | null;
  picture: string | null;
  emailVerified: boolean;
  createdAt: number;
  updatedAt: number;
}

export interface Role {
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

export interface Storage {
  clients: {
    get(clientId: string): Promise<Client | undefined>;
    list(): Promise<Client[]>;
    insert(client: Client): Promise<void>;
    /** Deletes the client with its codes, refresh tokens and consents. */
    delete(clientId: string): Promise<void>;
  };
  apis: {
    get(identifier: string): Promise<Api | undefined>;
    list(): Promise<Api[]>;
    insert(api: Api): Promise<void>;
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
    setPassword(id: string, passwordHash: string, now: number): Promise<void>;
    list(): Promise<User[]>;
    /** Deletes the user with their role assignments, codes, refresh tokens and consents. */
    delete(id: string): Promise<void>;
  };
  roles: {
    get(name: string): Promise<Role | undefined>;
    list(): Promise<Role[]>;
    /** Creates the role or adds permissions to an existing one. */
    upsert(role: Role): Promise<void>;
    assign(userId: string, roleName: string): Promise<void>;
    unassign(userId: string, roleName: string): Promise<void>;
    forUser(userId: string): Promise<Role[]>;
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
    delete(idHash: string): Promise<void>;
    deleteExpired(now: number): Promise<void>;
  };
  /** Runs `fn` in one transaction (both dialects). */
  transaction<T>(fn: (storage: Storage) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
