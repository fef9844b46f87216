/**
 * Row types of the authorization server's tables, as Kysely sees them. The same shape serves
 * SQLite and PostgreSQL: times are epoch seconds (bigint, read back as numbers), booleans are
 * integers 0/1, lists and JSON objects are text holding JSON.
 */
import type { ColumnType, Generated } from 'kysely';

/** 0 or 1: the portable boolean. */
export type Flag = 0 | 1;

export interface ClientsTable {
  client_id: string;
  name: string;
  type: string;
  secret_hash: string | null;
  /** JSON array of strings. */
  redirect_uris: string;
  /** JSON array of strings. */
  allowed_origins: string;
  /** JSON array of strings. */
  post_logout_redirect_uris: string;
  /** JSON array of API identifiers. */
  apis: string;
  /** JSON object: API identifier -> granted scopes, for grants narrower than the API's scopes (default `{}`). */
  api_scopes: Generated<string>;
  third_party: Flag;
  legacy_implicit: Flag;
  created_at: number;
}

export interface ApisTable {
  identifier: string;
  name: string;
  signing_alg: string;
  rbac: Flag;
  /** Whether first-party clients skip the consent screen for this API (default 1). */
  skip_consent: Generated<Flag>;
  /** JSON array of strings. */
  scopes: string;
  /** JSON object: scope -> description (default `{}`). */
  scope_descriptions: Generated<string>;
  access_token_ttl: number;
  /** JSON object (`EncryptionSettings`) or null. */
  encryption: string | null;
  created_at: number;
}

export interface UsersTable {
  id: string;
  email: string | null;
  username: string | null;
  password_hash: string | null;
  name: string | null;
  nickname: string | null;
  picture: string | null;
  given_name: string | null;
  family_name: string | null;
  locale: string | null;
  email_verified: Flag;
  /** Migration 0006 (default 0, so optional on insert). */
  blocked: Generated<Flag>;
  /** `nameKey(name)`: what name searches compare (migration 0006; null when left out). */
  name_key: Generated<string | null>;
  created_at: number;
  updated_at: number;
}

export interface RolesTable {
  /** `rol_…` (migration 0007; the column's default '' is only for rows written before it). */
  id: ColumnType<string, string | undefined, string>;
  name: string;
  description: string;
}

export interface RolePermissionsTable {
  role: string;
  api: string;
  permission: string;
}

export interface UserRolesTable {
  user_id: string;
  role: string;
}

export interface SigningKeysTable {
  kid: string;
  alg: string;
  status: string;
  /** JSON object (JWK). */
  private_jwk: string;
  /** JSON object (JWK). */
  public_jwk: string;
  created_at: number;
  activated_at: number | null;
  retired_at: number | null;
}

export interface AuthorizationCodesTable {
  code_hash: string;
  client_id: string;
  user_id: string;
  redirect_uri: string;
  scope: string;
  audience: string | null;
  nonce: string | null;
  code_challenge: string | null;
  auth_time: number;
  sid: string;
  expires_at: number;
  consumed_at: number | null;
  issued_jti: string | null;
  issued_family_id: string | null;
}

export interface TokenFamiliesTable {
  id: string;
  client_id: string;
  user_id: string;
  revoked_at: number | null;
}

export interface RefreshTokensTable {
  token_hash: string;
  family_id: string;
  client_id: string;
  user_id: string;
  scope: string;
  audience: string | null;
  sid: string;
  auth_time: number;
  created_at: number;
  expires_at: number;
  spent_at: number | null;
  successor_hash: string | null;
  sealed_response: string | null;
}

export interface ConsentsTable {
  user_id: string;
  client_id: string;
  /** JSON array of strings. */
  scopes: string;
  granted_at: number;
}

export interface RevocationsTable {
  seq: Generated<number>;
  kind: string;
  value: string;
  not_before: number;
  expires_at: number;
}

export interface InteractionsTable {
  id_hash: string;
  /** JSON object. */
  params: string;
  expires_at: number;
}

export interface ConnectionsTable {
  name: string;
  strategy: string;
  preset: string | null;
  display_name: string;
  /** JSON object: the strategy's settings, never a secret. */
  options: string;
  /** The upstream client secret, sealed with the server's secret. */
  sealed_secret: string | null;
  created_at: number;
  updated_at: number;
}

export interface ClientConnectionsTable {
  client_id: string;
  connection: string;
}

export interface IdentitiesTable {
  connection: string;
  upstream_id: string;
  provider: string;
  user_id: string;
  /** JSON object: the profile the upstream last sent. */
  profile_data: string;
  /** The upstream's tokens, sealed, when the connection keeps them. */
  sealed_tokens: string | null;
  created_at: number;
  updated_at: number;
}

export interface LogsTable {
  /** The log id's number: SQLite `INTEGER PRIMARY KEY AUTOINCREMENT`, PostgreSQL identity. */
  seq: Generated<number>;
  /** Epoch milliseconds. */
  date: number;
  type: string;
  description: string | null;
  client_id: string | null;
  client_name: string | null;
  connection: string | null;
  user_id: string | null;
  user_name: string | null;
  ip: string | null;
  user_agent: string | null;
  /** JSON object or null. */
  details: string | null;
}

export interface Database {
  clients: ClientsTable;
  apis: ApisTable;
  users: UsersTable;
  roles: RolesTable;
  role_permissions: RolePermissionsTable;
  user_roles: UserRolesTable;
  signing_keys: SigningKeysTable;
  authorization_codes: AuthorizationCodesTable;
  token_families: TokenFamiliesTable;
  refresh_tokens: RefreshTokensTable;
  consents: ConsentsTable;
  revocations: RevocationsTable;
  interactions: InteractionsTable;
  connections: ConnectionsTable;
  client_connections: ClientConnectionsTable;
  identities: IdentitiesTable;
  logs: LogsTable;
  rate_limits: RateLimitsTable;
}

/** A fixed-window request counter (migration 0008). */
export interface RateLimitsTable {
  /** What is counted: `mgmt:<client_id>` for the management API. */
  key: string;
  /** Epoch milliseconds: the start of the window `count` belongs to. */
  window_start: number;
  count: number;
}

/** The SQL dialects the storage runs on. */
export type StorageDialect = 'sqlite' | 'postgres';
