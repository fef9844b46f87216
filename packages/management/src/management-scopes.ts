/**
 * The scopes of the management API: Auth0's Management API scope names, for the endpoints Warden
 * has and those it will have (users, roles, logs, stats, sessions). An M2M client authorized for
 * the API gets all of them unless its grant names fewer (`warden clients add --api … --scope …`).
 */
export const MANAGEMENT_SCOPES: readonly { value: string; description: string }[] = Object.freeze(
  [
    ['read:clients', 'Read clients'],
    ['create:clients', 'Create clients'],
    ['update:clients', 'Update clients'],
    ['delete:clients', 'Delete clients'],
    ['update:client_keys', "Rotate clients' secrets"],
    ['read:resource_servers', 'Read APIs'],
    ['create:resource_servers', 'Create APIs'],
    ['update:resource_servers', 'Update APIs'],
    ['delete:resource_servers', 'Delete APIs'],
    ['read:connections', 'Read connections'],
    ['create:connections', 'Create connections'],
    ['update:connections', 'Update connections'],
    ['delete:connections', 'Delete connections'],
    ['read:signing_keys', 'Read signing keys'],
    ['create:signing_keys', 'Rotate signing keys (with update:signing_keys)'],
    ['update:signing_keys', 'Rotate and revoke signing keys'],
    ['read:users', 'Read users'],
    ['create:users', 'Create users'],
    ['update:users', 'Update, block and unblock users, unlink identities'],
    ['delete:users', 'Delete users'],
    ['read:roles', 'Read roles and their permissions'],
    ['create:roles', 'Create roles'],
    ['update:roles', 'Update roles and their permissions'],
    ['delete:roles', 'Delete roles'],
    ['read:role_members', 'Read the users of roles'],
    ['create:role_members', 'Assign roles to users'],
    ['delete:role_members', 'Remove roles from users'],
    ['read:sessions', "Read users' sessions"],
    ['delete:sessions', "Revoke users' sessions"],
    ['read:authentication_methods', "Read users' authentication methods"],
    ['delete:authentication_methods', "Delete users' authentication methods"],
    ['read:logs', 'Read the audit log'],
    ['read:logs_users', "Read users' entries of the audit log"],
    ['read:stats', 'Read daily statistics'],
  ].map(([value, description]) => Object.freeze({ value: value!, description: description! })),
);

/** The name the management API has among the APIs (Auth0's). */
export const MANAGEMENT_API_NAME = 'Warden Management API';
