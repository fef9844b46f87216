/** Plain-language descriptions of the OpenID Connect scopes, as the consent page shows them. */
const standardScopes: Readonly<Record<string, string>> = {
  openid: 'Confirm who you are with your Warden account',
  profile: 'See your name and basic profile information',
  email: 'See your email address',
  address: 'See your postal address',
  phone: 'See your phone number',
  offline_access: 'Stay connected to your account when you are not using the app',
};

/** Leading words of `verb:resource` API scopes, in the consent page's voice. */
const scopeVerbs: Readonly<Record<string, string>> = {
  read: 'Read',
  write: 'Create and change',
  create: 'Create',
  update: 'Change',
  edit: 'Change',
  delete: 'Delete',
  manage: 'Manage',
  admin: 'Manage',
};

/**
 * A sentence describing what granting `scope` lets an app do, for the consent page: the standard
 * OpenID Connect scopes have fixed texts; an API scope `verb:resource` reads "Verb resource"
 * (`read:dragons` -> "Read dragons", `write:orders` -> "Create and change orders", separators
 * `_ - .` become spaces); any other scope reads "Access `scope`". It does NOT know what an API
 * means by its scopes; pass an API-provided description instead when there is one.
 */
export function describeScope(scope: string): string {
  const standard = standardScopes[scope];
  if (standard) return standard;
  const colon = scope.indexOf(':');
  if (colon > 0 && colon < scope.length - 1) {
    const verb = scope.slice(0, colon).toLowerCase();
    const resource = humanize(scope.slice(colon + 1));
    const knownVerb = scopeVerbs[verb];
    return knownVerb ? `${knownVerb} ${resource}` : `${capitalize(humanize(verb))} ${resource}`;
  }
  return `Access ${scope}`;
}

/** Pairs each scope with {@link describeScope}, in the shape `ConsentPage` takes. */
export function describeScopes(scopes: readonly string[]): { name: string; description: string }[] {
  return scopes.map((name) => ({ name, description: describeScope(name) }));
}

function humanize(words: string): string {
  return words.replace(/[:_.-]+/g, ' ').trim();
}

function capitalize(words: string): string {
  return words.charAt(0).toUpperCase() + words.slice(1);
}
