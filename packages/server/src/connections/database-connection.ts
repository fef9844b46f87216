/** The password database as a connection: built in, enabled for every new client unless asked otherwise. */
export const DATABASE_CONNECTION = 'Username-Password-Authentication';
