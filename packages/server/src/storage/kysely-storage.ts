/**
 * `Storage` over Kysely, one implementation for SQLite and PostgreSQL.
 */
import { type Insertable, type Kysely, type Selectable, sql } from 'kysely';
import { createKyselyConnections, createKyselyIdentities } from './kysely-connections.js';
import { createKyselyLogs } from './kysely-logs.js';
import { createKyselyRateLimits } from './kysely-rate-limits.js';
import { createKyselyRoles } from './kysely-roles.js';
import { createKyselyUsers } from './kysely-users.js';
import type {
  ApisTable,
  AuthorizationCodesTable,
  ClientsTable,
  Database,
  Flag,
  InteractionsTable,
  RefreshTokensTable,
  RevocationsTable,
  SigningKeysTable,
  StorageDialect,
} from './schema.js';
import type {
  Api,
  AuthorizationCode,
  Client,
  ClientType,
  Consent,
  EncryptionSettings,
  Interaction,
  KeyStatus,
  RefreshToken,
  Revocation,
  RevocationKind,
  SigningAlg,
  SigningKey,
  Storage,
} from './storage.js';

type Db = Kysely<Database>;

/** Key of the PostgreSQL advisory lock that orders revocation inserts (ASCII "wardrevo"). */
const REVOCATION_LOCK_KEY = '8602282538995906159';

/**
 * Builds the `Storage` on an open Kysely instance whose schema is migrated
 * (`migrateToLatest`).
 *
 * What it relies on: for PostgreSQL, nothing beyond a pool (bigint columns are converted to
 * numbers here as well); for SQLite, `PRAGMA foreign_keys=ON` only as a backstop, since deletes
 * remove dependent rows explicitly. `codes.consume` and `refreshTokens.spend` are single
 * conditional UPDATEs, so exactly one of any number of concurrent callers wins, across
 * processes too. `transaction(fn)` runs `fn` in one database transaction; called again inside,
 * it joins the open one.
 *
 * Users' emails and usernames are stored in canonical form (`normalizeEmail`,
 * `normalizeUsername`) and `findByLogin` compares canonical forms exactly, so lookups, the unique
 * indexes and both databases agree.
 *
 * What it does NOT do: check expiry (every `get` returns expired rows; callers compare
 * `expiresAt`), validate values (an email is normalised, not checked), or add revocation entries
 * when it deletes or revokes.
 */
export function createKyselyStorage(db: Db, dialect: StorageDialect): Storage {
  if (dialect !== 'sqlite' && dialect !== 'postgres') {
    throw new TypeError(`dialect must be 'sqlite' or 'postgres', got ${String(dialect)}`);
  }
  return {
    clients: createClients(db),
    apis: createApis(db),
    users: createKyselyUsers(db, dialect),
    roles: createKyselyRoles(db),
    keys: createKeys(db),
    codes: createCodes(db),
    refreshTokens: createRefreshTokens(db),
    consents: createConsents(db, dialect),
    revocations: createRevocations(db, dialect),
    interactions: createInteractions(db),
    connections: createKyselyConnections(db),
    identities: createKyselyIdentities(db),
    logs: createKyselyLogs(db, dialect),
    rateLimits: createKyselyRateLimits(db),
    transaction: (fn) => runTransaction(db, dialect, fn),
    close: () => closeDb(db),
  };
}

function runTransaction<T>(
  db: Db,
  dialect: StorageDialect,
  fn: (storage: Storage) => Promise<T>,
): Promise<T> {
  if (db.isTransaction) return fn(createKyselyStorage(db, dialect));
  return db.transaction().execute((trx) => fn(createKyselyStorage(trx, dialect)));
}

async function closeDb(db: Db): Promise<void> {
  if (db.isTransaction) throw new TypeError('close() cannot be called inside transaction()');
  await db.destroy();
}

/** Runs `fn` in a transaction, or in the caller's when one is already open. */
function atomically<T>(db: Db, fn: (trx: Db) => Promise<T>): Promise<T> {
  return db.isTransaction ? fn(db) : db.transaction().execute(fn);
}

function createClients(db: Db): Storage['clients'] {
  return {
    async get(clientId) {
      const row = await db
        .selectFrom('clients')
        .selectAll()
        .where('client_id', '=', clientId)
        .executeTakeFirst();
      return row && toClient(row);
    },
    async list() {
      const rows = await db
        .selectFrom('clients')
        .selectAll()
        .orderBy('created_at')
        .orderBy('client_id')
        .execute();
      return rows.map(toClient);
    },
    async insert(client) {
      await db.insertInto('clients').values(fromClient(client)).execute();
    },
    async update(client) {
      const { client_id: _id, created_at: _created, ...changed } = fromClient(client);
      await db.updateTable('clients').set(changed).where('client_id', '=', client.clientId).execute();
    },
    async delete(clientId) {
      await atomically(db, async (trx) => {
        await trx.deleteFrom('authorization_codes').where('client_id', '=', clientId).execute();
        await trx.deleteFrom('refresh_tokens').where('client_id', '=', clientId).execute();
        await trx.deleteFrom('token_families').where('client_id', '=', clientId).execute();
        await trx.deleteFrom('consents').where('client_id', '=', clientId).execute();
        await trx.deleteFrom('client_connections').where('client_id', '=', clientId).execute();
        await trx.deleteFrom('clients').where('client_id', '=', clientId).execute();
      });
    },
  };
}

function createApis(db: Db): Storage['apis'] {
  return {
    async get(identifier) {
      const row = await db
        .selectFrom('apis')
        .selectAll()
        .where('identifier', '=', identifier)
        .executeTakeFirst();
      return row && toApi(row);
    },
    async list() {
      const rows = await db
        .selectFrom('apis')
        .selectAll()
        .orderBy('created_at')
        .orderBy('identifier')
        .execute();
      return rows.map(toApi);
    },
    async insert(api) {
      await db.insertInto('apis').values(fromApi(api)).execute();
    },
    async update(api) {
      const { identifier: _id, created_at: _created, ...changed } = fromApi(api);
      await db.updateTable('apis').set(changed).where('identifier', '=', api.identifier).execute();
    },
    async delete(identifier) {
      await atomically(db, async (trx) => {
        const rows = await trx.selectFrom('clients').select(['client_id', 'apis', 'api_scopes']).execute();
        for (const row of rows) {
          const apis = parseJson<string[]>(row.apis);
          const apiScopes = parseJson<Record<string, string[]>>(row.api_scopes);
          if (!apis.includes(identifier) && !Object.hasOwn(apiScopes, identifier)) continue;
          delete apiScopes[identifier];
          await trx
            .updateTable('clients')
            .set({
              apis: JSON.stringify(apis.filter((api) => api !== identifier)),
              api_scopes: JSON.stringify(apiScopes),
            })
            .where('client_id', '=', row.client_id)
            .execute();
        }
        await trx.deleteFrom('role_permissions').where('api', '=', identifier).execute();
        await trx.deleteFrom('apis').where('identifier', '=', identifier).execute();
      });
    },
  };
}

function createKeys(db: Db): Storage['keys'] {
  return {
    async list() {
      const rows = await db
        .selectFrom('signing_keys')
        .selectAll()
        .orderBy('created_at')
        .orderBy('kid')
        .execute();
      return rows.map(toSigningKey);
    },
    async insert(key) {
      await db.insertInto('signing_keys').values(fromSigningKey(key)).execute();
    },
    /**
     * `current` sets `activatedAt` (unless already set) and clears `retiredAt`; `retired` and
     * `revoked` set `retiredAt` (unless already set); `next` clears both. Does not touch other
     * keys: demoting the previous current key is the caller's step.
     */
    async setStatus(kid, status, now) {
      await db
        .updateTable('signing_keys')
        .set((eb) => {
          if (status === 'current') {
            return { status, activated_at: eb.fn.coalesce('activated_at', eb.val(now)), retired_at: null };
          }
          if (status === 'next') return { status, activated_at: null, retired_at: null };
          return { status, retired_at: eb.fn.coalesce('retired_at', eb.val(now)) };
        })
        .where('kid', '=', kid)
        .execute();
    },
    async delete(kid) {
      await db.deleteFrom('signing_keys').where('kid', '=', kid).execute();
    },
  };
}

function createCodes(db: Db): Storage['codes'] {
  return {
    async insert(code) {
      await db.insertInto('authorization_codes').values(fromCode(code)).execute();
    },
    async get(codeHash) {
      const row = await db
        .selectFrom('authorization_codes')
        .selectAll()
        .where('code_hash', '=', codeHash)
        .executeTakeFirst();
      return row && toCode(row);
    },
    async consume(codeHash, now) {
      const result = await db
        .updateTable('authorization_codes')
        .set({ consumed_at: now })
        .where('code_hash', '=', codeHash)
        .where('consumed_at', 'is', null)
        .executeTakeFirst();
      return result.numUpdatedRows === 1n;
    },
    async recordIssued(codeHash, jti, familyId) {
      await db
        .updateTable('authorization_codes')
        .set({ issued_jti: jti, issued_family_id: familyId })
        .where('code_hash', '=', codeHash)
        .execute();
    },
    async deleteExpired(now) {
      await db.deleteFrom('authorization_codes').where('expires_at', '<=', now).execute();
    },
  };
}

function createRefreshTokens(db: Db): Storage['refreshTokens'] {
  return {
    /** Creates the token's family on first use; a revoked family stays revoked. */
    async insert(token) {
      await atomically(db, async (trx) => {
        await trx
          .insertInto('token_families')
          .values({ id: token.familyId, client_id: token.clientId, user_id: token.userId, revoked_at: null })
          .onConflict((oc) => oc.column('id').doNothing())
          .execute();
        await trx.insertInto('refresh_tokens').values(fromRefreshToken(token)).execute();
      });
    },
    async get(tokenHash) {
      const row = await db
        .selectFrom('refresh_tokens')
        .selectAll()
        .where('token_hash', '=', tokenHash)
        .executeTakeFirst();
      return row && toRefreshToken(row);
    },
    async spend(tokenHash, successorHash, sealedResponse, now) {
      const result = await db
        .updateTable('refresh_tokens')
        .set({ spent_at: now, successor_hash: successorHash, sealed_response: sealedResponse })
        .where('token_hash', '=', tokenHash)
        .where('spent_at', 'is', null)
        .executeTakeFirst();
      return result.numUpdatedRows === 1n;
    },
    async revokeFamily(familyId, now) {
      await db
        .updateTable('token_families')
        .set({ revoked_at: now })
        .where('id', '=', familyId)
        .where('revoked_at', 'is', null)
        .execute();
    },
    async familyRevoked(familyId) {
      const row = await db
        .selectFrom('token_families')
        .select('revoked_at')
        .where('id', '=', familyId)
        .executeTakeFirst();
      return row === undefined || row.revoked_at !== null;
    },
    async revokeForUser(userId, now, clientId) {
      let query = db
        .updateTable('token_families')
        .set({ revoked_at: now })
        .where('user_id', '=', userId)
        .where('revoked_at', 'is', null);
      if (clientId !== undefined) query = query.where('client_id', '=', clientId);
      await query.execute();
    },
    async revokeForSession(sid, now) {
      await db
        .updateTable('token_families')
        .set({ revoked_at: now })
        .where('revoked_at', 'is', null)
        .where('id', 'in', (eb) => eb.selectFrom('refresh_tokens').select('family_id').where('sid', '=', sid))
        .execute();
    },
    /** Deletes expired tokens, then the families left without any token. */
    async deleteExpired(now) {
      await atomically(db, async (trx) => {
        await trx.deleteFrom('refresh_tokens').where('expires_at', '<=', now).execute();
        await trx
          .deleteFrom('token_families')
          .where(({ not, exists, selectFrom }) =>
            not(
              exists(
                selectFrom('refresh_tokens')
                  .select('token_hash')
                  .whereRef('refresh_tokens.family_id', '=', 'token_families.id'),
              ),
            ),
          )
          .execute();
      });
    },
  };
}

function createConsents(db: Db, dialect: StorageDialect): Storage['consents'] {
  return {
    async get(userId, clientId) {
      const row = await db
        .selectFrom('consents')
        .selectAll()
        .where('user_id', '=', userId)
        .where('client_id', '=', clientId)
        .executeTakeFirst();
      return row && toConsent(row);
    },
    /** Read-modify-write under a row lock (PostgreSQL) or the writer lock (SQLite): no lost grant. */
    async grant(userId, clientId, scopes, now) {
      await atomically(db, async (trx) => {
        await trx
          .insertInto('consents')
          .values({ user_id: userId, client_id: clientId, scopes: '[]', granted_at: now })
          .onConflict((oc) => oc.columns(['user_id', 'client_id']).doNothing())
          .execute();
        let select = trx
          .selectFrom('consents')
          .select('scopes')
          .where('user_id', '=', userId)
          .where('client_id', '=', clientId);
        if (dialect === 'postgres') select = select.forUpdate();
        const row = await select.executeTakeFirstOrThrow();
        const merged = unionOf(parseJson<string[]>(row.scopes), scopes);
        await trx
          .updateTable('consents')
          .set({ scopes: JSON.stringify(merged), granted_at: now })
          .where('user_id', '=', userId)
          .where('client_id', '=', clientId)
          .execute();
      });
    },
    async revoke(userId, clientId) {
      await db
        .deleteFrom('consents')
        .where('user_id', '=', userId)
        .where('client_id', '=', clientId)
        .execute();
    },
  };
}

function createRevocations(db: Db, dialect: StorageDialect): Storage['revocations'] {
  return {
    /**
     * Appends an entry. Inserts are serialized (an advisory lock in PostgreSQL, the single
     * writer in SQLite), so entries become visible in `seq` order and a follower reading
     * `since(lastSeq)` never skips one that commits later with a lower number.
     */
    async add(entry) {
      return atomically(db, async (trx) => {
        if (dialect === 'postgres') {
          await sql`select pg_advisory_xact_lock(${REVOCATION_LOCK_KEY}::bigint)`.execute(trx);
        }
        const row = await trx
          .insertInto('revocations')
          .values({
            kind: entry.kind,
            value: entry.value,
            not_before: entry.notBefore,
            expires_at: entry.expiresAt,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        return toRevocation(row);
      });
    },
    /** Entries with `seq` greater than `seq`, oldest first, at most `limit`. */
    async since(seq, limit) {
      const rows = await db
        .selectFrom('revocations')
        .selectAll()
        .where('seq', '>', seq)
        .orderBy('seq')
        .limit(limit)
        .execute();
      return rows.map(toRevocation);
    },
    async deleteExpired(now) {
      await db.deleteFrom('revocations').where('expires_at', '<=', now).execute();
    },
  };
}

function createInteractions(db: Db): Storage['interactions'] {
  return {
    async insert(interaction) {
      await db
        .insertInto('interactions')
        .values({
          id_hash: interaction.idHash,
          params: JSON.stringify(interaction.params),
          expires_at: interaction.expiresAt,
        })
        .execute();
    },
    async get(idHash) {
      const row = await db
        .selectFrom('interactions')
        .selectAll()
        .where('id_hash', '=', idHash)
        .executeTakeFirst();
      return row && toInteraction(row);
    },
    async take(idHash) {
      const row = await db
        .deleteFrom('interactions')
        .where('id_hash', '=', idHash)
        .returningAll()
        .executeTakeFirst();
      return row && toInteraction(row);
    },
    async delete(idHash) {
      await db.deleteFrom('interactions').where('id_hash', '=', idHash).execute();
    },
    async deleteExpired(now) {
      await db.deleteFrom('interactions').where('expires_at', '<=', now).execute();
    },
  };
}

// Row <-> model. Number() guards against a PostgreSQL pool that reads bigint as strings.

function toClient(row: Selectable<ClientsTable>): Client {
  return {
    clientId: row.client_id,
    name: row.name,
    type: row.type as ClientType,
    secretHash: row.secret_hash,
    redirectUris: parseJson(row.redirect_uris),
    allowedOrigins: parseJson(row.allowed_origins),
    postLogoutRedirectUris: parseJson(row.post_logout_redirect_uris),
    apis: parseJson(row.apis),
    apiScopes: parseJson(row.api_scopes),
    thirdParty: row.third_party === 1,
    legacyImplicit: row.legacy_implicit === 1,
    createdAt: Number(row.created_at),
  };
}

function fromClient(client: Client): Insertable<ClientsTable> {
  return {
    client_id: client.clientId,
    name: client.name,
    type: client.type,
    secret_hash: client.secretHash,
    redirect_uris: JSON.stringify(client.redirectUris),
    allowed_origins: JSON.stringify(client.allowedOrigins),
    post_logout_redirect_uris: JSON.stringify(client.postLogoutRedirectUris),
    apis: JSON.stringify(client.apis),
    api_scopes: JSON.stringify(client.apiScopes),
    third_party: toFlag(client.thirdParty),
    legacy_implicit: toFlag(client.legacyImplicit),
    created_at: client.createdAt,
  };
}

function toApi(row: Selectable<ApisTable>): Api {
  return {
    identifier: row.identifier,
    name: row.name,
    signingAlg: row.signing_alg as SigningAlg,
    rbac: row.rbac === 1,
    skipConsent: row.skip_consent === 1,
    scopes: parseJson(row.scopes),
    scopeDescriptions: parseJson(row.scope_descriptions),
    accessTokenTtl: Number(row.access_token_ttl),
    encryption: row.encryption === null ? null : parseJson<EncryptionSettings>(row.encryption),
    createdAt: Number(row.created_at),
  };
}

function fromApi(api: Api): Insertable<ApisTable> {
  return {
    identifier: api.identifier,
    name: api.name,
    signing_alg: api.signingAlg,
    rbac: toFlag(api.rbac),
    skip_consent: toFlag(api.skipConsent),
    scopes: JSON.stringify(api.scopes),
    scope_descriptions: JSON.stringify(api.scopeDescriptions),
    access_token_ttl: api.accessTokenTtl,
    encryption: api.encryption === null ? null : JSON.stringify(api.encryption),
    created_at: api.createdAt,
  };
}

function toSigningKey(row: Selectable<SigningKeysTable>): SigningKey {
  return {
    kid: row.kid,
    alg: row.alg as SigningAlg,
    status: row.status as KeyStatus,
    privateJwk: parseJson(row.private_jwk),
    publicJwk: parseJson(row.public_jwk),
    createdAt: Number(row.created_at),
    activatedAt: toTime(row.activated_at),
    retiredAt: toTime(row.retired_at),
  };
}

function fromSigningKey(key: SigningKey): SigningKeysTable {
  return {
    kid: key.kid,
    alg: key.alg,
    status: key.status,
    private_jwk: JSON.stringify(key.privateJwk),
    public_jwk: JSON.stringify(key.publicJwk),
    created_at: key.createdAt,
    activated_at: key.activatedAt,
    retired_at: key.retiredAt,
  };
}

function toCode(row: Selectable<AuthorizationCodesTable>): AuthorizationCode {
  return {
    codeHash: row.code_hash,
    clientId: row.client_id,
    userId: row.user_id,
    redirectUri: row.redirect_uri,
    scope: row.scope,
    audience: row.audience,
    nonce: row.nonce,
    codeChallenge: row.code_challenge,
    authTime: Number(row.auth_time),
    sid: row.sid,
    expiresAt: Number(row.expires_at),
    consumedAt: toTime(row.consumed_at),
    issuedJti: row.issued_jti,
    issuedFamilyId: row.issued_family_id,
  };
}

function fromCode(code: AuthorizationCode): AuthorizationCodesTable {
  return {
    code_hash: code.codeHash,
    client_id: code.clientId,
    user_id: code.userId,
    redirect_uri: code.redirectUri,
    scope: code.scope,
    audience: code.audience,
    nonce: code.nonce,
    code_challenge: code.codeChallenge,
    auth_time: code.authTime,
    sid: code.sid,
    expires_at: code.expiresAt,
    consumed_at: code.consumedAt,
    issued_jti: code.issuedJti,
    issued_family_id: code.issuedFamilyId,
  };
}

function toRefreshToken(row: Selectable<RefreshTokensTable>): RefreshToken {
  return {
    tokenHash: row.token_hash,
    familyId: row.family_id,
    clientId: row.client_id,
    userId: row.user_id,
    scope: row.scope,
    audience: row.audience,
    sid: row.sid,
    authTime: Number(row.auth_time),
    createdAt: Number(row.created_at),
    expiresAt: Number(row.expires_at),
    spentAt: toTime(row.spent_at),
    successorHash: row.successor_hash,
    sealedResponse: row.sealed_response,
  };
}

function fromRefreshToken(token: RefreshToken): RefreshTokensTable {
  return {
    token_hash: token.tokenHash,
    family_id: token.familyId,
    client_id: token.clientId,
    user_id: token.userId,
    scope: token.scope,
    audience: token.audience,
    sid: token.sid,
    auth_time: token.authTime,
    created_at: token.createdAt,
    expires_at: token.expiresAt,
    spent_at: token.spentAt,
    successor_hash: token.successorHash,
    sealed_response: token.sealedResponse,
  };
}

function toConsent(row: { user_id: string; client_id: string; scopes: string; granted_at: number }): Consent {
  return {
    userId: row.user_id,
    clientId: row.client_id,
    scopes: parseJson(row.scopes),
    grantedAt: Number(row.granted_at),
  };
}

function toRevocation(row: Selectable<RevocationsTable>): Revocation {
  return {
    seq: Number(row.seq),
    kind: row.kind as RevocationKind,
    value: row.value,
    notBefore: Number(row.not_before),
    expiresAt: Number(row.expires_at),
  };
}

function toInteraction(row: Selectable<InteractionsTable>): Interaction {
  return { idHash: row.id_hash, params: parseJson(row.params), expiresAt: Number(row.expires_at) };
}

function toFlag(value: boolean): Flag {
  return value ? 1 : 0;
}

function toTime(value: number | null): number | null {
  return value === null ? null : Number(value);
}

function parseJson<T>(text: string): T {
  return JSON.parse(text) as T;
}

/** `previous` in order, then each new scope not already there. */
function unionOf(previous: string[], added: string[]): string[] {
  return [...new Set([...previous, ...added])];
}
