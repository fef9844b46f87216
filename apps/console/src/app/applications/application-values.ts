// Plain TypeScript (no Angular), imported with .js extensions so the unit tests load it in Node.

import { type AppType, signsUsersIn } from './app-types.js';
import type { Application, ApplicationInput } from './application.js';
import { formatUrlList, parseUrlList } from './url-list.js';

/** The article's fields of an application as the create and edit forms hold them. */
export interface ApplicationValues {
  name: string;
  type: AppType;
  /** Text areas: one URL per line. */
  callbacks: string;
  webOrigins: string;
  logoutUrls: string;
}

/** The API's property names, each with the form field that shows its errors. */
export const APPLICATION_FIELDS: Readonly<Record<string, string>> = {
  name: 'name',
  app_type: 'type',
  callbacks: 'callbacks',
  web_origins: 'webOrigins',
  allowed_origins: 'webOrigins',
  allowed_logout_urls: 'logoutUrls',
};

/** An application's values, or a new Single Page Application's (empty). */
export function applicationValues(from?: Application): ApplicationValues {
  return {
    name: from?.name ?? '',
    type: from?.app_type ?? 'spa',
    callbacks: formatUrlList(from?.callbacks),
    webOrigins: formatUrlList(from?.web_origins),
    logoutUrls: formatUrlList(from?.allowed_logout_urls),
  };
}

/**
 * The values as the API takes them. A Machine to Machine application signs no user in: its URLs
 * are not sent.
 */
export function applicationInput(values: ApplicationValues): ApplicationInput {
  const input: ApplicationInput = { name: values.name.trim(), app_type: values.type };
  if (!signsUsersIn(values.type)) return input;
  return {
    ...input,
    callbacks: parseUrlList(values.callbacks),
    web_origins: parseUrlList(values.webOrigins),
    allowed_logout_urls: parseUrlList(values.logoutUrls),
  };
}
