import type { AuditEvent } from '@warden/server';
import { describe, expect, it } from 'vitest';
import {
  expectManagementError,
  type ManagementWorld,
  storages,
  useManagementWorld,
} from './management-world.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** `YYYYMMDD` of an epoch ms (UTC). */
function yyyymmdd(time: number): string {
  return new Date(time).toISOString().slice(0, 10).replaceAll('-', '');
}

function iso(time: number): string {
  return new Date(time).toISOString();
}

/** Records `event` at `time` on the server's clock (which then stays there). */
async function recordAt(w: ManagementWorld, time: number, event: AuditEvent): Promise<void> {
  const now = w.t.clock();
  if (time < now) throw new Error('events are recorded in order');
  w.t.advance((time - now) / 1000);
  await w.t.server.context.audit.record(event);
}

describe.each(storages())('stats on $name', ({ databaseUrl, skip }) => {
  describe.skipIf(skip)('', () => {
    const w = useManagementWorld({ databaseUrl });

    async function get(path: string, token?: string): Promise<Response> {
      return w().call('GET', path, { token: token ?? (await w().token()) });
    }

    async function json<T>(path: string): Promise<T> {
      const response = await get(path);
      expect(response.status, await response.clone().text()).toBe(200);
      return (await response.json()) as T;
    }

    /** The start of the day (UTC) after the world's start: a clean slate for counting. */
    function nextDay(): number {
      return Math.floor(w().t.clock() / DAY) * DAY + DAY;
    }

    it("counts sign-ins and sign-ups per day in Auth0's daily stats shape", async () => {
      const day1 = nextDay();
      await recordAt(w(), day1 + 1 * HOUR, { type: 's', userId: 'a' });
      await recordAt(w(), day1 + 2 * HOUR, { type: 'ss', userId: 'b' });
      await recordAt(w(), day1 + 2 * HOUR, { type: 's', userId: 'b' });
      await recordAt(w(), day1 + 3 * HOUR, { type: 'fp', userId: 'a' });
      await recordAt(w(), day1 + DAY + 5 * HOUR, { type: 's', userId: 'a' });
      await recordAt(w(), day1 + 2 * DAY + DAY - 1, { type: 's', userId: 'c' });
      const now = day1 + 3 * DAY + 6 * HOUR;
      w().t.advance((now - w().t.clock()) / 1000);
      const stats = await json<unknown[]>(
        `/stats/daily?from=${yyyymmdd(day1)}&to=${yyyymmdd(day1 + 5 * DAY)}`,
      );
      const dayStats = (start: number, logins: number, signups: number, updated: number) => ({
        date: iso(start),
        logins,
        signups,
        leaked_passwords: 0,
        updated_at: iso(updated),
        created_at: iso(start),
      });
      // Days after today have not happened: they are left out. Today is counted as of now.
      expect(stats).toEqual([
        dayStats(day1, 2, 1, day1 + DAY - 1),
        dayStats(day1 + DAY, 1, 0, day1 + 2 * DAY - 1),
        dayStats(day1 + 2 * DAY, 1, 0, day1 + 3 * DAY - 1),
        dayStats(day1 + 3 * DAY, 0, 0, now),
      ]);
      // Without from and to: the 30 days up to today.
      const recent = await json<{ date: string; logins: number }[]>('/stats/daily');
      expect(recent).toHaveLength(30);
      expect(recent.at(-1)!.date).toBe(iso(day1 + 3 * DAY));
      expect(recent.at(-4)).toMatchObject({ date: iso(day1), logins: 2 });
      const one = await json<unknown[]>(
        `/stats/daily?from=${yyyymmdd(day1 + DAY)}&to=${yyyymmdd(day1 + DAY)}`,
      );
      expect(one).toEqual([dayStats(day1 + DAY, 1, 0, day1 + 2 * DAY - 1)]);
    });

    it('counts the users who signed in in the last 30 days, each once', async () => {
      const start = nextDay();
      await recordAt(w(), start, { type: 's', userId: 'old' });
      await recordAt(w(), start + 10 * DAY, { type: 's', userId: 'a' });
      await recordAt(w(), start + 10 * DAY + HOUR, { type: 's', userId: 'a' });
      await recordAt(w(), start + 20 * DAY, { type: 's', userId: 'b' });
      await recordAt(w(), start + 20 * DAY, { type: 'fp', userId: 'c' });
      await recordAt(w(), start + 20 * DAY, { type: 'ss', userId: 'd' });
      expect(await json<number>('/stats/active-users')).toBe(3);
      // 30 days after the first sign-in, it no longer counts.
      w().t.advance((start + 30 * DAY + 1 - w().t.clock()) / 1000);
      expect(await json<number>('/stats/active-users')).toBe(2);
      w().t.advance(20 * 86_400);
      expect(await json<number>('/stats/active-users')).toBe(0);
    });

    it('counts sign-ins, failures and sign-ups per hour (Warden extension)', async () => {
      const start = nextDay();
      await recordAt(w(), start + 5 * 60_000, { type: 's', userId: 'a' });
      await recordAt(w(), start + 10 * 60_000, { type: 'fp', userId: 'a' });
      await recordAt(w(), start + 11 * 60_000, { type: 'fu', userName: 'x' });
      await recordAt(w(), start + HOUR - 1, { type: 'f', userId: 'a' });
      await recordAt(w(), start + 2 * HOUR, { type: 'ss', userId: 'b' });
      await recordAt(w(), start + 2 * HOUR, { type: 's', userId: 'b' });
      await recordAt(w(), start + 2 * HOUR + 1, { type: 'slo', userId: 'b' });
      const hours = await json<unknown[]>(
        `/stats/hourly?from=${encodeURIComponent(iso(start + 30 * 60_000))}&to=${encodeURIComponent(iso(start + 3 * HOUR))}`,
      );
      expect(hours).toEqual([
        { hour: iso(start), logins: 1, failures: 3, signups: 0 },
        { hour: iso(start + HOUR), logins: 0, failures: 0, signups: 0 },
        { hour: iso(start + 2 * HOUR), logins: 1, failures: 0, signups: 1 },
      ]);
      // Without from and to: the last 24 hours, the current one last.
      w().t.advance(30 * 60);
      const recent = await json<{ hour: string; logins: number }[]>('/stats/hourly');
      expect(recent).toHaveLength(24);
      expect(recent.at(-1)).toEqual({ hour: iso(start + 2 * HOUR), logins: 1, failures: 0, signups: 1 });
      const noZone = await json<unknown[]>(
        `/stats/hourly?from=${iso(start).slice(0, 19)}&to=${iso(start + HOUR).slice(0, 19)}`,
      );
      expect(noZone).toEqual([{ hour: iso(start), logins: 1, failures: 3, signups: 0 }]);
    });

    it('refuses bad dates and ranges with a 400 naming the parameter', async () => {
      const refused = async (path: string, words: string) => {
        const message = await expectManagementError(await get(path), 400, 'invalid_query_string');
        expect(message).toContain(words);
      };
      await refused('/stats/daily?from=2024-05-01', 'on property from');
      await refused('/stats/daily?from=20240230&to=20240301', '20240230 is not a day');
      await refused('/stats/daily?from=20240502&to=20240501', 'from is after to');
      await refused('/stats/daily?from=20230101&to=20240103', 'at most 366 days');
      await refused('/stats/daily?day=20240101', 'Additional properties not allowed: day');
      await refused('/stats/hourly?from=yesterday', 'on property from');
      await refused('/stats/hourly?to=2024-05-01T25:00:00Z', 'on property to');
      await refused(
        '/stats/hourly?from=2024-05-02T00:00:00Z&to=2024-05-01T00:00:00Z',
        'from is not before to',
      );
      await refused('/stats/hourly?from=2024-05-01T00:00:00Z&to=2024-06-02T00:00:00Z', 'at most 744 hours');
      await refused('/stats/active-users?days=7', 'Additional properties not allowed');
    });

    it('needs read:stats and a token', async () => {
      const other = await w().addManager('No stats', ['read:logs']);
      const token = await w().token({ client: other });
      for (const path of ['/stats/daily', '/stats/active-users', '/stats/hourly']) {
        const message = await expectManagementError(await get(path, token), 403, 'insufficient_scope');
        expect(message).toContain('read:stats');
        await expectManagementError(await w().call('GET', path, { token: null }), 401, undefined);
      }
    });
  });
});
