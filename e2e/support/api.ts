import type { APIRequestContext, APIResponse } from '@playwright/test';
import { apiUrl } from './system.js';

/** Calls the Dragons API (`path` relative to /api/) with `token` as a bearer token, from outside the browser. */
export function callApi(request: APIRequestContext, path: string, token: string): Promise<APIResponse> {
  return request.get(new URL(path, apiUrl).href, { headers: { authorization: `Bearer ${token}` } });
}
