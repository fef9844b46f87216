import type { ResourceErrors } from '../http/admin-call.js';

/** How the domain's refusals about users are answered. */
export const USER_ERRORS: ResourceErrors = {
  notFound: 'inexistent_user',
  conflict: 'user_exists',
  fields: {},
};

/** Refusals about a user's sessions, identities and methods (the user exists: checked first). */
export const USER_PART_ERRORS = {
  session: { ...USER_ERRORS, notFound: 'inexistent_session' },
  identity: { ...USER_ERRORS, notFound: 'inexistent_identity' },
  method: { ...USER_ERRORS, notFound: 'inexistent_authentication_method' },
} satisfies Record<string, ResourceErrors>;
