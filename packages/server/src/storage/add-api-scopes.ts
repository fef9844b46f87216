import type { Kysely } from 'kysely';

/**
 * Migration `0005_api_scopes`, for the management API:
 *
 * - `clients.api_scopes`: the scopes granted to a client per API, where the grant is narrower than
 *   the API's scopes (`warden clients add --api X --scope S`); `{}` keeps every existing client's
 *   grants as they were (all the scopes of each of its APIs).
 * - `apis.scope_descriptions`: what each scope of an API is for (Auth0's `scopes[].description`);
 *   `{}` for the existing APIs.
 */
export async function addApiScopes(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('clients')
    .addColumn('api_scopes', 'text', (col) => col.notNull().defaultTo('{}'))
    .execute();
  await db.schema
    .alterTable('apis')
    .addColumn('scope_descriptions', 'text', (col) => col.notNull().defaultTo('{}'))
    .execute();
}

export async function dropApiScopes(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('apis').dropColumn('scope_descriptions').execute();
  await db.schema.alterTable('clients').dropColumn('api_scopes').execute();
}
