import { Writable } from 'node:stream';
import { createMemoryStore } from '@warden/session';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { type Logger, resolveServerConfig } from '../src/config.js';
import { purgeExpired } from '../src/maintenance/purge-expired.js';
import type { Storage } from '../src/storage/storage.js';
import { allLogs, auditStorages, lastLogId } from './audit-helpers.js';
import { issuer, signInWithCode, startTestServer } from './harness.js';

/** A pino logger writing JSON lines into `lines`, as the idp's goes to stdout. */
function pinoLines(): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line) lines.push(JSON.parse(line));
      done();
    },
  });
  return { logger: pino({ level: 'info' }, sink), lines };
}

describe('logRetention', () => {
  it('is a whole number of days from 1 to 3650, 30 by default', () => {
    const options = {
      issuer,
      storage: {} as Storage,
      sessionStore: createMemoryStore(),
      secret: 's'.repeat(32),
    };
    expect(resolveServerConfig(options).logRetention).toBe(30);
    expect(resolveServerConfig({ ...options, logRetention: 3650 }).logRetention).toBe(3650);
    for (const logRetention of [0, -1, 1.5, 3651, Number.NaN]) {
      expect(() => resolveServerConfig({ ...options, logRetention })).toThrow(
        'logRetention must be a whole number of days from 1 to 3650',
      );
    }
  });
});

for (const [storage, url] of auditStorages()) {
  describe.skipIf(storage === 'PostgreSQL' && !url)(
    `the audit log's retention and delivery (${storage})`,
    () => {
      const databaseUrl = url ? { databaseUrl: url } : {};

      it('keeps entries logRetention days (30 by default); purgeExpired deletes older ones', async () => {
        for (const [overrides, days] of [[{}, 30] as const, [{ logRetention: 7 }, 7] as const]) {
          const t = await startTestServer(overrides, databaseUrl);
          try {
            await signInWithCode(t);
            const old = await allLogs(t);
            expect(old.length).toBeGreaterThan(0);
            t.advance(days * 86_400 - 1);
            // A second before the first entries are `days` old: the purge keeps them.
            const kept = await lastLogId(t);
            await signInWithCode(t);
            const all = await allLogs(t);
            await purgeExpired(t.server.context);
            expect(await allLogs(t)).toEqual(all);

            // A second after: they go, the newer ones stay.
            t.advance(2);
            await purgeExpired(t.server.context);
            const left = await allLogs(t);
            expect(left.length).toBeGreaterThan(0);
            expect(left.every((log) => log.logId > kept)).toBe(true);
          } finally {
            await t.close();
          }
        }
      });

      it('emits each entry as a pino JSON line in Auth0 shape', async () => {
        const { logger, lines } = pinoLines();
        const t = await startTestServer({ logger }, databaseUrl);
        try {
          const after = await lastLogId(t);
          await signInWithCode(t);
          const [stored] = (await allLogs(t)).filter((log) => log.logId > after && log.type === 's');
          const line = lines.find(
            (candidate) => candidate.msg === 'audit' && (candidate.log as { type: string }).type === 's',
          );
          expect(line).toMatchObject({
            level: 30,
            msg: 'audit',
            log: {
              log_id: stored!.logId,
              date: new Date(t.clock()).toISOString(),
              type: 's',
              description: 'Success Login',
              client_id: t.spa,
              client_name: 'Dragons',
              connection: 'Username-Password-Authentication',
              user_id: t.userId,
              user_name: 'user@example.com',
            },
          });
        } finally {
          await t.close();
        }
      });

      it('never fails a sign-in when the entry cannot be written: it is logged as an error with the entry', async () => {
        const { logger, lines } = pinoLines();
        const t = await startTestServer({ logger }, databaseUrl);
        try {
          const logs = t.server.context.storage.logs;
          // The database refuses the append (a full disk, a lost connection): only the append fails.
          logs.append = () => Promise.reject(new Error('the database refused the append'));
          const before = lines.length;
          const flow = await signInWithCode(t);
          expect(flow.code).toBeTruthy();
          const since = lines.slice(before);
          const errors = since.filter((line) => line.msg === 'audit entry not written');
          expect(errors).toContainEqual(
            expect.objectContaining({
              level: 50,
              err: expect.objectContaining({ message: 'the database refused the append' }),
              log: expect.objectContaining({
                type: 's',
                client_id: t.spa,
                user_id: t.userId,
                connection: 'Username-Password-Authentication',
              }),
            }),
          );
          expect(since.filter((line) => line.msg === 'audit')).toEqual([]);
        } finally {
          await t.close();
        }
      });
    },
  );
}
