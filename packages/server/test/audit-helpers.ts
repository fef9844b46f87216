import { expect } from 'vitest';
import type { LogEntry } from '../src/storage/storage.js';
import type { TestServer } from './harness.js';

/** The databases the audit tests run on: SQLite always, PostgreSQL when `DATABASE_URL` is set. */
export function auditStorages(): [string, string | undefined][] {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) console.warn('DATABASE_URL is unset: skipping the PostgreSQL audit log tests.');
  return [
    ['SQLite', undefined],
    ['PostgreSQL', databaseUrl],
  ];
}

/** Every entry of the audit log, oldest first (read by checkpoint, as a log pipeline would). */
export async function allLogs(t: TestServer): Promise<LogEntry[]> {
  const logs: LogEntry[] = [];
  let from = '0';
  for (;;) {
    const page = await t.server.context.storage.logs.listFrom({ from, take: 100 });
    if (page.length === 0) return logs;
    logs.push(...page);
    from = page.at(-1)!.logId;
  }
}

/** The entries of one type, oldest first. */
export async function logsOfType(t: TestServer, type: string): Promise<LogEntry[]> {
  return (await allLogs(t)).filter((log) => log.type === type);
}

/** The one entry of `type` written since `after` (a log id); fails unless there is exactly one. */
export async function onlyLog(t: TestServer, type: string, after = '0'): Promise<LogEntry> {
  const logs = (await allLogs(t)).filter((log) => log.type === type && log.logId > after);
  expect(logs.map((log) => `${log.type}: ${log.description}`)).toHaveLength(1);
  return logs[0]!;
}

/** The id of the newest entry so far ('0' when none): what `onlyLog` counts from. */
export async function lastLogId(t: TestServer): Promise<string> {
  return (await t.server.context.storage.logs.listFrom({ take: 1 }))[0]?.logId ?? '0';
}

/**
 * The same test server, as reached from `ip` by a client sending `userAgent`: its requests carry
 * the peer address the way `@hono/node-server` passes it (`env.incoming.socket`), and the header.
 */
export function fromAddress(t: TestServer, ip: string, userAgent: string): TestServer {
  return {
    ...t,
    request: async (path, init = {}) => {
      const headers = new Headers(init.headers);
      if (!headers.has('user-agent')) headers.set('user-agent', userAgent);
      return t.server.app.request(
        path,
        { ...init, headers },
        { incoming: { socket: { remoteAddress: ip } } },
      );
    },
  };
}

/** Every value the log holds, as one string: for checking that a secret is nowhere in it. */
export async function logText(t: TestServer): Promise<string> {
  return JSON.stringify(await allLogs(t));
}
