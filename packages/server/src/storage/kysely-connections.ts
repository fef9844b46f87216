import type { Kysely, Selectable } from 'kysely';
import type { ConnectionsTable, Database, IdentitiesTable } from './schema.js';
import type { Connection, ConnectionStrategy, Identity, Storage } from './storage.js';

type Db = Kysely<Database>;

/** Runs `fn` in a transaction, or in the caller's when one is already open. */
function atomically<T>(db: Db, fn: (trx: Db) => Promise<T>): Promise<T> {
  return db.isTransaction ? fn(db) : db.transaction().execute(fn);
}

/**
 * `Storage['connections']` over Kysely: a connection's row plus its enabled clients
 * (`client_connections`), written together in one transaction.
 */
export function createKyselyConnections(db: Db): Storage['connections'] {
  async function enabledClients(names: string[]): Promise<Map<string, string[]>> {
    const byName = new Map<string, string[]>(names.map((name) => [name, []]));
    if (names.length === 0) return byName;
    const rows = await db
      .selectFrom('client_connections')
      .select(['client_id', 'connection'])
      .where('connection', 'in', names)
      .orderBy('client_id')
      .execute();
    for (const row of rows) byName.get(row.connection)?.push(row.client_id);
    return byName;
  }

  async function withClients(rows: Selectable<ConnectionsTable>[]): Promise<Connection[]> {
    const clients = await enabledClients(rows.map((row) => row.name));
    return rows.map((row) => toConnection(row, clients.get(row.name) ?? []));
  }

  async function setEnabledClients(trx: Db, name: string, clientIds: string[]): Promise<void> {
    await trx.deleteFrom('client_connections').where('connection', '=', name).execute();
    const unique = [...new Set(clientIds)];
    if (unique.length === 0) return;
    await trx
      .insertInto('client_connections')
      .values(unique.map((clientId) => ({ client_id: clientId, connection: name })))
      .execute();
  }

  return {
    async get(name) {
      const row = await db.selectFrom('connections').selectAll().where('name', '=', name).executeTakeFirst();
      return row && (await withClients([row]))[0];
    },
    async list() {
      return withClients(await db.selectFrom('connections').selectAll().orderBy('name').execute());
    },
    async forClient(clientId) {
      const rows = await db
        .selectFrom('connections')
        .innerJoin('client_connections', 'client_connections.connection', 'connections.name')
        .selectAll('connections')
        .where('client_connections.client_id', '=', clientId)
        .orderBy('connections.name')
        .execute();
      return withClients(rows);
    },
    async insert(connection) {
      await atomically(db, async (trx) => {
        await trx.insertInto('connections').values(fromConnection(connection)).execute();
        await setEnabledClients(trx, connection.name, connection.enabledClients);
      });
    },
    async update(connection) {
      const { name: _name, created_at: _created, ...changed } = fromConnection(connection);
      await atomically(db, async (trx) => {
        await trx.updateTable('connections').set(changed).where('name', '=', connection.name).execute();
        await setEnabledClients(trx, connection.name, connection.enabledClients);
      });
    },
    async delete(name) {
      await atomically(db, async (trx) => {
        await trx.deleteFrom('identities').where('connection', '=', name).execute();
        await trx.deleteFrom('client_connections').where('connection', '=', name).execute();
        await trx.deleteFrom('connections').where('name', '=', name).execute();
      });
    },
    async enable(name, clientId) {
      await db
        .insertInto('client_connections')
        .values({ client_id: clientId, connection: name })
        .onConflict((conflict) => conflict.columns(['client_id', 'connection']).doNothing())
        .execute();
    },
    async disable(name, clientId) {
      await db
        .deleteFrom('client_connections')
        .where('connection', '=', name)
        .where('client_id', '=', clientId)
        .execute();
    },
  };
}

/** `Storage['identities']` over Kysely. */
export function createKyselyIdentities(db: Db): Storage['identities'] {
  return {
    async get(connection, upstreamId) {
      const row = await db
        .selectFrom('identities')
        .selectAll()
        .where('connection', '=', connection)
        .where('upstream_id', '=', upstreamId)
        .executeTakeFirst();
      return row && toIdentity(row);
    },
    async forUser(userId) {
      const rows = await db
        .selectFrom('identities')
        .selectAll()
        .where('user_id', '=', userId)
        .orderBy('created_at')
        .orderBy('connection')
        .execute();
      return rows.map(toIdentity);
    },
    async insert(identity) {
      await db.insertInto('identities').values(fromIdentity(identity)).execute();
    },
    async update(identity) {
      const { connection, upstream_id, created_at: _created, ...changed } = fromIdentity(identity);
      await db
        .updateTable('identities')
        .set(changed)
        .where('connection', '=', connection)
        .where('upstream_id', '=', upstream_id)
        .execute();
    },
    async delete(connection, upstreamId) {
      await db
        .deleteFrom('identities')
        .where('connection', '=', connection)
        .where('upstream_id', '=', upstreamId)
        .execute();
    },
  };
}

function toConnection(row: Selectable<ConnectionsTable>, enabledClients: string[]): Connection {
  return {
    name: row.name,
    strategy: row.strategy as ConnectionStrategy,
    preset: row.preset,
    displayName: row.display_name,
    options: JSON.parse(row.options) as Record<string, unknown>,
    sealedSecret: row.sealed_secret,
    enabledClients,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

function fromConnection(connection: Connection): ConnectionsTable {
  return {
    name: connection.name,
    strategy: connection.strategy,
    preset: connection.preset,
    display_name: connection.displayName,
    options: JSON.stringify(connection.options),
    sealed_secret: connection.sealedSecret,
    created_at: connection.createdAt,
    updated_at: connection.updatedAt,
  };
}

function toIdentity(row: Selectable<IdentitiesTable>): Identity {
  return {
    connection: row.connection,
    upstreamId: row.upstream_id,
    provider: row.provider,
    userId: row.user_id,
    profileData: JSON.parse(row.profile_data) as Record<string, unknown>,
    sealedTokens: row.sealed_tokens,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

function fromIdentity(identity: Identity): IdentitiesTable {
  return {
    connection: identity.connection,
    upstream_id: identity.upstreamId,
    provider: identity.provider,
    user_id: identity.userId,
    profile_data: JSON.stringify(identity.profileData),
    sealed_tokens: identity.sealedTokens,
    created_at: identity.createdAt,
    updated_at: identity.updatedAt,
  };
}
