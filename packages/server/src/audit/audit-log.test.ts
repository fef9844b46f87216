import { describe, expect, it } from 'vitest';
import { AdminError } from '../admin/admin-error.js';
import type { Logger } from '../config.js';
import type { LogEntry, NewLogEntry, Storage } from '../storage/storage.js';
import { AuditLog } from './audit-log.js';
import { withRequestOrigin } from './request-origin.js';

const NOW = Date.UTC(2024, 4, 1, 12);

/** A logger that keeps what it is given. */
function recordingLogger() {
  const lines: { level: string; obj: Record<string, unknown>; msg: string | undefined }[] = [];
  const at =
    (level: string) =>
    (obj: object, msg?: string): void => {
      lines.push({ level, obj: obj as Record<string, unknown>, msg });
    };
  const logger: Logger = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
  return { logger, lines };
}

/** `storage.logs` in memory, or one whose appends fail. */
function memoryLogs(fail?: Error): Pick<Storage, 'logs'> & { entries: LogEntry[] } {
  const entries: LogEntry[] = [];
  const unused = () => Promise.reject(new Error('not used here'));
  return {
    entries,
    logs: {
      async append(entry: NewLogEntry) {
        if (fail) throw fail;
        const stored = { ...entry, logId: String(entries.length + 1).padStart(20, '0') };
        entries.push(stored);
        return stored;
      },
      get: unused,
      listFrom: unused,
      listPage: unused,
      count: unused,
      deleteOlderThan: unused,
      countByPeriod: unused,
      countUsers: unused,
    },
  };
}

describe('AuditLog', () => {
  it("appends an entry at the clock's time and emits it as a pino line in Auth0's shape", async () => {
    const storage = memoryLogs();
    const { logger, lines } = recordingLogger();
    const audit = new AuditLog({ storage, logger, clock: () => NOW });
    await audit.record({ type: 's', clientId: 'c1', clientName: 'App', userId: 'u1', connection: 'db' });
    expect(storage.entries).toEqual([
      {
        logId: '00000000000000000001',
        date: NOW,
        type: 's',
        description: 'Success Login',
        clientId: 'c1',
        clientName: 'App',
        connection: 'db',
        userId: 'u1',
        userName: null,
        ip: null,
        userAgent: null,
        details: null,
      },
    ]);
    expect(lines).toEqual([
      {
        level: 'info',
        msg: 'audit',
        obj: {
          log: {
            log_id: '00000000000000000001',
            date: '2024-05-01T12:00:00.000Z',
            type: 's',
            description: 'Success Login',
            client_id: 'c1',
            client_name: 'App',
            connection: 'db',
            user_id: 'u1',
          },
        },
      },
    ]);
  });

  it('takes the IP and user agent of the request being answered, unless the event names them', async () => {
    const storage = memoryLogs();
    const audit = new AuditLog({ storage, logger: recordingLogger().logger, clock: () => NOW });
    await withRequestOrigin({ ip: '203.0.113.7', userAgent: 'Browser/1' }, async () => {
      await audit.record({ type: 'fp' });
      await audit.record({ type: 'fp', ip: '198.51.100.1', userAgent: null });
    });
    await audit.record({ type: 'fp' });
    expect(storage.entries.map(({ ip, userAgent }) => ({ ip, userAgent }))).toEqual([
      { ip: '203.0.113.7', userAgent: 'Browser/1' },
      { ip: '198.51.100.1', userAgent: null },
      { ip: null, userAgent: null },
    ]);
  });

  it('never throws when the append fails: the entry goes to the error log with the error', async () => {
    const failure = new Error('disk full');
    const { logger, lines } = recordingLogger();
    const audit = new AuditLog({ storage: memoryLogs(failure), logger, clock: () => NOW });
    await expect(
      audit.record({ type: 'fp', userId: 'u1', description: 'Wrong password', details: { reason: 'x' } }),
    ).resolves.toBeUndefined();
    expect(lines).toEqual([
      {
        level: 'error',
        msg: 'audit entry not written',
        obj: {
          err: failure,
          log: {
            date: '2024-05-01T12:00:00.000Z',
            type: 'fp',
            description: 'Wrong password',
            user_id: 'u1',
            details: { reason: 'x' },
          },
        },
      },
    ]);
  });

  it('never throws when the logger does', async () => {
    const throwing: Logger = {
      debug() {},
      info() {
        throw new Error('stdout closed');
      },
      warn() {},
      error() {
        throw new Error('stderr closed');
      },
    };
    const stored = memoryLogs();
    await expect(
      new AuditLog({ storage: stored, logger: throwing, clock: () => NOW }).record({ type: 's' }),
    ).resolves.toBeUndefined();
    expect(stored.entries).toHaveLength(1);
    await expect(
      new AuditLog({ storage: memoryLogs(new Error('x')), logger: throwing, clock: () => NOW }).record({
        type: 's',
      }),
    ).resolves.toBeUndefined();
  });

  it('leaves fields named as secrets out of the details', async () => {
    const storage = memoryLogs();
    const audit = new AuditLog({ storage, logger: recordingLogger().logger, clock: () => NOW });
    await audit.record({ type: 'fertft', details: { error: 'invalid_grant', refresh_token: 'rt-secret' } });
    expect(storage.entries[0]?.details).toEqual({ error: 'invalid_grant' });
  });

  it('records a management change with its actor, target and the changed fields, no secrets', async () => {
    const storage = memoryLogs();
    const audit = new AuditLog({
      storage,
      logger: recordingLogger().logger,
      clock: () => NOW,
      clientName: async (clientId) => (clientId === 'm2m' ? 'Console' : undefined),
    });
    const actor = { kind: 'management', clientId: 'm2m', userId: 'admin-1', ip: '192.0.2.1' } as const;
    await audit.change(actor, {
      description: 'Update a client',
      target: { client_id: 'c1' },
      before: { name: 'Old', secretHash: 'h1', callbacks: ['https://a/cb'] },
      after: { name: 'New', secretHash: 'h2', callbacks: ['https://a/cb'] },
    });
    expect(storage.entries[0]).toMatchObject({
      type: 'sapi',
      description: 'Update a client',
      clientId: 'm2m',
      clientName: 'Console',
      userId: 'admin-1',
      ip: '192.0.2.1',
      details: {
        actor: { kind: 'management', client_id: 'm2m', user_id: 'admin-1' },
        target: { client_id: 'c1' },
        changed: ['name', 'secretHash'],
        before: { name: 'Old' },
        after: { name: 'New' },
      },
    });
    expect(JSON.stringify(storage.entries)).not.toMatch(/h1|h2/);
  });

  it('records a refused management change with the reason', async () => {
    const storage = memoryLogs();
    const audit = new AuditLog({ storage, logger: recordingLogger().logger, clock: () => NOW });
    await audit.refusal({ kind: 'cli' }, 'Create a client', AdminError.conflict('client c1 already exists'));
    expect(storage.entries[0]).toMatchObject({
      type: 'fapi',
      description: 'Create a client',
      clientId: null,
      userId: null,
      details: { actor: { kind: 'cli' }, error: { type: 'conflict', message: 'client c1 already exists' } },
    });
  });
});
