import type { AppType } from './app-types.js';

/** A client as the management API answers it (Auth0's shape; the fields the console uses). */
export interface Application {
  client_id: string;
  name: string;
  app_type: AppType;
  callbacks: string[];
  web_origins: string[];
  allowed_logout_urls: string[];
  /** Only right after it was created or its secret rotated. */
  client_secret?: string;
}

/** What the console sends to create or change an application. */
export interface ApplicationInput {
  name: string;
  app_type: AppType;
  callbacks?: string[];
  web_origins?: string[];
  allowed_logout_urls?: string[];
}
