import type { Kysely } from 'kysely';

/**
 * Migration `0009_api_skip_consent`: `apis.skip_consent`, Auth0's "Allow Skipping User Consent"
 * (`skip_consent_for_verifiable_first_party_clients`). 1 for every existing API, which keeps what
 * users saw: first-party apps were never asked for consent.
 */
export async function addApiSkipConsent(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('apis')
    .addColumn('skip_consent', 'integer', (col) => col.notNull().defaultTo(1))
    .execute();
}

export async function dropApiSkipConsent(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('apis').dropColumn('skip_consent').execute();
}
