import { createRoute, type OpenAPIHono, type z } from '@hono/zod-openapi';
import { type LogFilter, LogQueryError, parseLogQuery, type ServerContext, toAuth0Log } from '@warden/server';
import type { ManagementAuth, ManagementEnv } from '../http/authorize.js';
import { ManagementError } from '../http/management-error.js';
import { DEFAULT_PER_PAGE, type FieldParams, type PageParams, selectFields } from '../http/paging.js';
import { errorResponses, jsonAnswer, needs } from '../http/route-parts.js';
import { queryError } from '../http/validation-error.js';
import { ListLogsQuery, Log, LogIdParams, LogList, UserIdParams, UserLogsQuery } from './log-schemas.js';

/** Auth0 pages through the first 1000 entries only; past them, checkpoint paging (`from`/`take`). */
export const MAX_PAGED_LOGS = 1000;

const tags = ['Logs'];

const list = createRoute({
  method: 'get',
  path: '/logs',
  tags,
  summary: 'Search the audit log',
  description:
    'By page (page, per_page, include_totals, sort; the first 1000 entries) or by checkpoint (from, take). q filters both.',
  security: needs('read:logs'),
  request: { query: ListLogsQuery },
  responses: { 200: jsonAnswer('The entries.', LogList), ...errorResponses(400, 401, 403) },
});

const get = createRoute({
  method: 'get',
  path: '/logs/{id}',
  tags,
  summary: 'Get an entry of the audit log',
  security: needs('read:logs'),
  request: { params: LogIdParams },
  responses: { 200: jsonAnswer('The entry.', Log), ...errorResponses(400, 401, 403, 404) },
});

const userLogs = createRoute({
  method: 'get',
  path: '/users/{id}/logs',
  tags: ['Users', ...tags],
  summary: "A user's entries of the audit log",
  description:
    'Every entry naming the user id, newest first by default; also for a user who has been deleted (the log outlives them).',
  security: needs('read:logs', 'read:logs_users'),
  request: { params: UserIdParams, query: UserLogsQuery },
  responses: { 200: jsonAnswer('The entries.', LogList), ...errorResponses(400, 401, 403) },
});

type Logs = ServerContext['storage']['logs'];

/** `/logs` and `/users/{id}/logs`: Auth0's log endpoints over the audit log (`ctx.storage.logs`). */
export function logRoutes(app: OpenAPIHono<ManagementEnv>, auth: ManagementAuth, ctx: ServerContext): void {
  const logs = ctx.storage.logs;

  app.openapi({ ...list, middleware: [auth.require('read:logs')] }, async (c) => {
    const query = c.req.valid('query');
    if (query.q !== undefined && query.search !== undefined) {
      throw queryError('search', 'give the search as q or as search, not both');
    }
    const filter = query.search === undefined ? searchOf(query.q, 'q') : searchOf(query.search, 'search');
    if (query.from !== undefined || query.take !== undefined) {
      for (const name of ['page', 'per_page', 'include_totals', 'sort'] as const) {
        if (query[name] !== undefined) {
          throw queryError(
            name,
            `${name} pages by offset: it cannot be combined with from/take (checkpoint paging)`,
          );
        }
      }
      const entries = await logs.listFrom({
        ...(query.from === undefined ? {} : { from: query.from }),
        take: query.take ?? DEFAULT_PER_PAGE,
        filter,
      });
      return c.json(
        entries.map((entry) => selectFields(toAuth0Log(entry), query)) as z.infer<typeof LogList>,
        200,
      );
    }
    return c.json((await logPage(logs, query, filter, query)) as z.infer<typeof LogList>, 200);
  });

  app.openapi({ ...get, middleware: [auth.require('read:logs')] }, async (c) => {
    const { id } = c.req.valid('param');
    const entry = await logs.get(id);
    if (!entry) throw new ManagementError(404, 'inexistent_log', 'The log entry does not exist');
    return c.json(toAuth0Log(entry) as z.infer<typeof Log>, 200);
  });

  app.openapi({ ...userLogs, middleware: [auth.require('read:logs', 'read:logs_users')] }, async (c) => {
    const { id } = c.req.valid('param');
    const query = c.req.valid('query');
    const page = await logPage(logs, query, [{ field: 'userId', anyOf: [id] }], {});
    return c.json(page as z.infer<typeof LogList>, 200);
  });
}

/** `q` as a log filter; a search the audit log does not take is a 400 saying what is wrong. */
function searchOf(q: string | undefined, property: string): LogFilter {
  if (q === undefined) return [];
  try {
    return parseLogQuery(q);
  } catch (error) {
    if (error instanceof LogQueryError) throw queryError(property, error.message);
    throw error;
  }
}

/**
 * One page of entries by offset, as Auth0 answers it (the bare list, or with `include_totals`
 * `{ start, limit, length, total, logs }`), within the first `MAX_PAGED_LOGS` entries.
 */
async function logPage(
  logs: Logs,
  params: PageParams & { sort?: 'date:1' | 'date:-1' | undefined },
  filter: LogFilter,
  fields: FieldParams,
): Promise<unknown> {
  const perPage = params.per_page ?? DEFAULT_PER_PAGE;
  const page = params.page ?? 0;
  if ((page + 1) * perPage > MAX_PAGED_LOGS) {
    throw queryError(
      'page',
      `only the first ${MAX_PAGED_LOGS} entries can be paged through (page × per_page); use from/take (checkpoint paging) for more`,
    );
  }
  const entries = await logs.listPage({ page, perPage, ascending: params.sort === 'date:1', filter });
  const items = entries.map((entry) => selectFields(toAuth0Log(entry), fields));
  if (!params.include_totals) return items;
  const total = await logs.count(filter);
  return { start: page * perPage, limit: perPage, length: items.length, total, logs: items };
}
