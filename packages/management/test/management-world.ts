import { createConnections } from '@warden/connections';
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import {
  basic,
  startTestServer,
  type TestServer,
  type TestStorageOptions,
  tokenRequest,
} from '../../server/test/harness.js';
import { type ManagementApi, mountManagementApi, registerManagementApi } from '../src/index.js';

/** An M2M client of the management API, with its secret. */
export interface ManagementClient {
  client_id: string;
  client_secret: string;
}

/**
 * The test authorization server (see `startTestServer`: the Dragons API, SPA, web and M2M clients,
 * two users; the fake clock) with the management API mounted at `/api/v2` and registered, and an
 * M2M client (`manager`) granted every scope of it.
 */
export interface ManagementWorld {
  t: TestServer;
  management: ManagementApi;
  /** `<issuer>api/v2/`. */
  audience: string;
  manager: ManagementClient;
  /** A client_credentials token of `client` (default `manager`) for the management API. */
  token(options?: { client?: ManagementClient; scope?: string }): Promise<string>;
  /** A request to `/api/v2<path>` with `token` (default: a new token of `manager`), JSON in and out. */
  call(method: string, path: string, options?: { token?: string | null; body?: unknown }): Promise<Response>;
  /** An M2M client for the management API granted `scopes` only (all of them when absent). */
  addManager(name: string, scopes?: string[]): Promise<ManagementClient>;
  close(): Promise<void>;
}

/** The databases the storage-bound suites run on: SQLite always, PostgreSQL when `DATABASE_URL` is set. */
export function storages(): { name: string; databaseUrl: string | undefined; skip: boolean }[] {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) console.warn('DATABASE_URL is unset: skipping the PostgreSQL management API tests.');
  return [
    { name: 'SQLite', databaseUrl: undefined, skip: false },
    { name: 'PostgreSQL', databaseUrl, skip: !databaseUrl },
  ];
}

export async function startManagementWorld(storage: TestStorageOptions = {}): Promise<ManagementWorld> {
  const t = await startTestServer({ upstream: [createConnections()] }, storage);
  const management = mountManagementApi(t.server);
  await registerManagementApi(t.server);
  const audience = management.audience;
  const addManager = async (name: string, scopes?: string[]) =>
    (await t.admin.addClient({
      type: 'm2m',
      name,
      apis: [audience],
      ...(scopes ? { scopes } : {}),
    })) as ManagementClient;
  const manager = await addManager('Manager');
  const token = async (options: { client?: ManagementClient; scope?: string } = {}) => {
    const client = options.client ?? manager;
    const response = await tokenRequest(
      t,
      { grant_type: 'client_credentials', audience, ...(options.scope ? { scope: options.scope } : {}) },
      { authorization: basic(client.client_id, client.client_secret) },
    );
    const body = (await response.json()) as { access_token?: string };
    expect(body.access_token, JSON.stringify(body)).toBeTypeOf('string');
    return body.access_token!;
  };
  return {
    t,
    management,
    audience,
    manager,
    token,
    addManager,
    async call(method, path, options = {}) {
      const bearer = options.token === undefined ? await token() : options.token;
      const headers: Record<string, string> = {};
      if (bearer !== null) headers.authorization = `Bearer ${bearer}`;
      if (options.body !== undefined) headers['content-type'] = 'application/json';
      return t.request(`/api/v2${path}`, {
        method,
        headers,
        ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
      });
    },
    async close() {
      await management.close();
      await t.close();
    },
  };
}

/**
 * Registers hooks that start a management world and close it again (around each test by default,
 * or once for the block with `scope: 'all'`); returns a getter for it.
 */
export function useManagementWorld(
  setup: { scope?: 'each' | 'all'; databaseUrl?: string | undefined } = {},
): () => ManagementWorld {
  const [before, after] = setup.scope === 'all' ? [beforeAll, afterAll] : [beforeEach, afterEach];
  let current: ManagementWorld | undefined;
  before(async () => {
    current = await startManagementWorld(setup.databaseUrl ? { databaseUrl: setup.databaseUrl } : {});
  });
  after(async () => {
    const running = current;
    current = undefined;
    await running?.close();
  });
  return () => {
    if (!current) throw new Error('no management world is running here: call the getter inside a test');
    return current;
  };
}

/** Expects Auth0's error body with `status` and `errorCode`; returns the message. */
export async function expectManagementError(
  response: Response,
  status: number,
  errorCode: string | undefined,
): Promise<string> {
  const body = (await response.json()) as Record<string, unknown>;
  expect(response.status, JSON.stringify(body)).toBe(status);
  expect(body).toMatchObject({ statusCode: status, error: expect.any(String), message: expect.any(String) });
  expect(body.errorCode).toBe(errorCode);
  expect(Object.keys(body).sort()).toEqual(
    errorCode === undefined
      ? ['error', 'message', 'statusCode']
      : ['error', 'errorCode', 'message', 'statusCode'],
  );
  return body.message as string;
}
