import { type ExpressionBuilder, type Kysely, type Selectable, sql } from 'kysely';
import type { Database, LogsTable, StorageDialect } from './schema.js';
import type { LogEntry, LogFilter, LogTextField, NewLogEntry, Storage } from './storage.js';

type Db = Kysely<Database>;

/** Key of the PostgreSQL advisory lock that orders log appends (ASCII "wardlogs"). */
const LOG_LOCK_KEY = '8602282539012663155';

/** Digits of a log id: the sequence number, zero-padded so ids sort as text in the order written. */
const LOG_ID_DIGITS = 20;
const LOG_ID = /^[0-9]{1,20}$/;

const columns: Record<
  LogTextField,
  'type' | 'client_id' | 'client_name' | 'connection' | 'user_id' | 'user_name' | 'ip'
> = {
  type: 'type',
  clientId: 'client_id',
  clientName: 'client_name',
  connection: 'connection',
  userId: 'user_id',
  userName: 'user_name',
  ip: 'ip',
};

/**
 * `Storage['logs']` over Kysely. Appends are serialized until they commit (an advisory lock taken
 * in the insert's own statement in PostgreSQL, the single writer in SQLite), so entries become
 * visible in `seq` order: a reader paging by checkpoint never skips one that commits later with a
 * lower number. Listing by checkpoint is an index range on `seq` (or on `(type|user_id|client_id,
 * seq)` when filtered by one of those), never an OFFSET.
 *
 * What it does NOT do: leave secrets out (the audit service does, before appending), or check
 * that a filter's values are sensible (any string compares; `parseLogQuery` checks the grammar).
 * Caller misuse (`take` out of 1-100, a `from` that is not a log id) throws `TypeError`.
 *
 * The statistics (`countByPeriod`, `countUsers`) are ranges of the `(type, date, user_id)` index
 * (migration 0008): they read the index alone, never the entries.
 */
export function createKyselyLogs(db: Db, dialect: StorageDialect): Storage['logs'] {
  return {
    async append(entry) {
      const row = fromLogEntry(entry);
      if (dialect === 'postgres') {
        // One statement: the lock is taken before the identity is drawn, and held until commit.
        const { rows } = await sql<Selectable<LogsTable>>`
          insert into logs (date, type, description, client_id, client_name, connection, user_id,
            user_name, ip, user_agent, details)
          select ${row.date}, ${row.type}, ${row.description}, ${row.client_id}, ${row.client_name},
            ${row.connection}, ${row.user_id}, ${row.user_name}, ${row.ip}, ${row.user_agent},
            ${row.details}
          from (select pg_advisory_xact_lock(${LOG_LOCK_KEY}::bigint)) as serialized
          returning *`.execute(db);
        return toLogEntry(rows[0]!);
      }
      const stored = await db.insertInto('logs').values(row).returningAll().executeTakeFirstOrThrow();
      return toLogEntry(stored);
    },
    async get(logId) {
      const seq = typeof logId === 'string' && LOG_ID.test(logId) ? seqOf(logId) : undefined;
      if (seq === undefined || seq === Number.MAX_SAFE_INTEGER) return undefined;
      const row = await db.selectFrom('logs').selectAll().where('seq', '=', seq).executeTakeFirst();
      return row && toLogEntry(row);
    },
    async listFrom({ from, take, filter = [] }) {
      checkCount(take, 'take');
      let query = db
        .selectFrom('logs')
        .selectAll()
        .where((eb) => matches(eb, filter));
      if (from !== undefined) {
        if (typeof from !== 'string' || !LOG_ID.test(from)) throw new TypeError('from must be a log id');
        query = query.where('seq', '>', seqOf(from)).orderBy('seq', 'asc');
      } else {
        query = query.orderBy('seq', 'desc');
      }
      return (await query.limit(take).execute()).map(toLogEntry);
    },
    async listPage({ page, perPage, ascending = false, filter = [] }) {
      checkCount(perPage, 'perPage');
      if (!Number.isInteger(page) || page < 0) throw new TypeError('page must be an integer from 0');
      const rows = await db
        .selectFrom('logs')
        .selectAll()
        .where((eb) => matches(eb, filter))
        .orderBy('seq', ascending ? 'asc' : 'desc')
        .limit(perPage)
        .offset(page * perPage)
        .execute();
      return rows.map(toLogEntry);
    },
    async count(filter = []) {
      const row = await db
        .selectFrom('logs')
        .select((eb) => eb.fn.countAll<number | string>().as('count'))
        .where((eb) => matches(eb, filter))
        .executeTakeFirstOrThrow();
      return Number(row.count);
    },
    async deleteOlderThan(date) {
      const result = await db.deleteFrom('logs').where('date', '<', date).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
    async countByPeriod({ types, from, to, period }) {
      checkTime(from, 'from');
      checkTime(to, 'to');
      if (!Number.isSafeInteger(period) || period < 1)
        throw new TypeError('period must be a positive integer');
      if (types.length === 0 || from >= to) return [];
      // Integer division of two bigints in both dialects: the period's index from the epoch. The
      // period is a literal (a checked integer) so the select and the group by are one expression.
      const index = sql<number | string>`${sql.ref('date')} / cast(${sql.lit(period)} as bigint)`;
      const rows = await db
        .selectFrom('logs')
        .select((eb) => ['type', index.as('period'), eb.fn.countAll<number | string>().as('count')])
        .where('type', 'in', [...types])
        .where('date', '>=', from)
        .where('date', '<', to)
        .groupBy(['type', index])
        .execute();
      return rows
        .map((row) => ({ start: Number(row.period) * period, type: row.type, count: Number(row.count) }))
        .sort((a, b) => a.start - b.start || a.type.localeCompare(b.type));
    },
    async countUsers({ type, from, to }) {
      checkTime(from, 'from');
      checkTime(to, 'to');
      const row = await db
        .selectFrom('logs')
        .select((eb) => eb.fn.count<number | string>('user_id').distinct().as('count'))
        .where('type', '=', type)
        .where('date', '>=', from)
        .where('date', '<', to)
        .executeTakeFirstOrThrow();
      return Number(row.count);
    },
  };
}

function checkTime(value: number, name: string): void {
  if (!Number.isSafeInteger(value)) throw new TypeError(`${name} must be epoch milliseconds`);
}

/** The formatted log id of a sequence number. */
export function formatLogId(seq: number): string {
  return String(seq).padStart(LOG_ID_DIGITS, '0');
}

/** The sequence number of a log id (any well-formed id past the largest possible one: that one). */
function seqOf(logId: string): number {
  const seq = BigInt(logId);
  return seq >= BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(seq);
}

function checkCount(value: number, name: string): void {
  if (!Number.isInteger(value) || value < 1 || value > 100) {
    throw new TypeError(`${name} must be an integer from 1 to 100`);
  }
}

function matches(eb: ExpressionBuilder<Database, 'logs'>, filter: LogFilter) {
  return eb.and(
    filter.map((condition) => {
      if (condition.field === 'date') {
        const range = [];
        if (condition.from !== undefined) range.push(eb('date', '>=', condition.from));
        if (condition.to !== undefined) range.push(eb('date', '<=', condition.to));
        return eb.and(range);
      }
      const column = columns[condition.field];
      if (!column) throw new TypeError(`a log filter cannot compare ${String(condition.field)}`);
      // An empty list matches nothing (`or` of nothing is false); `in ()` is not valid SQL.
      if (condition.anyOf.length === 0) return eb.or([]);
      return eb(column, 'in', condition.anyOf);
    }),
  );
}

function fromLogEntry(entry: NewLogEntry): Omit<LogsTable, 'seq'> {
  return {
    date: entry.date,
    type: entry.type,
    description: entry.description,
    client_id: entry.clientId,
    client_name: entry.clientName,
    connection: entry.connection,
    user_id: entry.userId,
    user_name: entry.userName,
    ip: entry.ip,
    user_agent: entry.userAgent,
    details: entry.details === null ? null : JSON.stringify(entry.details),
  };
}

function toLogEntry(row: Selectable<LogsTable>): LogEntry {
  return {
    logId: formatLogId(Number(row.seq)),
    date: Number(row.date),
    type: row.type,
    description: row.description,
    clientId: row.client_id,
    clientName: row.client_name,
    connection: row.connection,
    userId: row.user_id,
    userName: row.user_name,
    ip: row.ip,
    userAgent: row.user_agent,
    details: row.details === null ? null : (JSON.parse(row.details) as Record<string, unknown>),
  };
}
