/** Auth0's application types, as the management API names them (`app_type`). */
export type AppType = 'spa' | 'regular_web' | 'non_interactive' | 'native';

export const APP_TYPES: readonly AppType[] = ['spa', 'regular_web', 'non_interactive', 'native'];

/** Each type as Auth0's Dashboard shows it. */
export const APP_TYPE_LABELS: Readonly<Record<AppType, string>> = {
  spa: 'Single Page Application',
  regular_web: 'Regular Web Application',
  non_interactive: 'Machine to Machine',
  native: 'Native',
};

/** What each type is for, under its name in the form. */
export const APP_TYPE_HINTS: Readonly<Record<AppType, string>> = {
  spa: 'A JavaScript app in the browser (Angular, React, Vue) that signs in with code + PKCE.',
  regular_web: 'A web app whose server signs users in and keeps a client secret.',
  non_interactive: 'A service, script or daemon that calls an API with its own credentials.',
  native: 'A mobile or desktop app that signs in with code + PKCE.',
};

/** Whether the type has a client secret (shown once, rotatable). */
export function isConfidential(type: AppType): boolean {
  return type === 'regular_web' || type === 'non_interactive';
}

/** Whether users sign in through the type (so it has callback, origin and logout URLs). */
export function signsUsersIn(type: AppType): boolean {
  return type !== 'non_interactive';
}

/**
 * The types an application of `type` may change to: a public app stays public and a confidential
 * one confidential (the API refuses the rest).
 */
export function typesReachableFrom(type: AppType): readonly AppType[] {
  return isConfidential(type) ? ['regular_web', 'non_interactive'] : ['spa', 'native'];
}
