import { z } from '@hono/zod-openapi';
import { FieldsQuery, PageQuery } from '../http/paging.js';

/** An entry of the audit log in Auth0's log shape; fields without a value are left out. */
export const Log = z
  .object({
    log_id: z.string().openapi({
      description: '20 digits: ids sort in the order entries were written.',
      example: '00000000000000004217',
    }),
    date: z.string().openapi({ format: 'date-time' }),
    type: z.string().openapi({ description: "Auth0's event code (s, f, fp, ss, sapi…).", example: 's' }),
    description: z.string().optional(),
    client_id: z.string().optional(),
    client_name: z.string().optional(),
    connection: z.string().optional(),
    user_id: z.string().optional(),
    user_name: z.string().optional(),
    ip: z.string().optional(),
    user_agent: z.string().optional(),
    details: z.record(z.string(), z.unknown()).optional(),
  })
  .openapi('Log');

export const LogList = z
  .union([
    z.array(Log),
    z.object({
      start: z.number().int(),
      limit: z.number().int(),
      length: z.number().int(),
      total: z.number().int(),
      logs: z.array(Log),
    }),
  ])
  .openapi('LogList');

const logId = z
  .string()
  .regex(/^[0-9]{1,20}$/, { error: 'a log id is up to 20 digits' })
  .openapi({ example: '00000000000000004217' });

const sort = z
  .enum(['date:1', 'date:-1'], { error: 'sort is date:1 (oldest first) or date:-1' })
  .optional()
  .openapi({
    description:
      'date:-1 (default): newest first; date:1: oldest first. Entries sort by log_id, the order written.',
  });

const search = z.string().max(1024).optional();

export const ListLogsQuery = z.strictObject({
  q: search.openapi({
    description:
      "A search in a subset of Auth0's syntax: field:value for type, user_id, user_name, client_id, client_name, connection, ip; date:[2024-05-01 TO 2024-05-31]; AND; OR between values of one field. Anything else is refused (400).",
    example: '(type:f OR type:fp) AND user_id:"auth0|abc"',
  }),
  search: search.openapi({
    description: "The same search as q, under the name Auth0's current SDKs send (not both).",
  }),
  ...PageQuery,
  sort,
  ...FieldsQuery,
  from: logId.optional().openapi({
    description:
      'Checkpoint paging: the entries written after this log id, oldest first (not with page, per_page, sort or include_totals).',
  }),
  take: z.coerce.number().int().min(1).max(100).optional().openapi({
    description:
      'Checkpoint paging: how many entries, 1 to 100 (default 50). Without from: the newest, newest first.',
  }),
});

export type ListLogsQuery = z.infer<typeof ListLogsQuery>;

export const UserLogsQuery = z.strictObject({ ...PageQuery, sort });

export const LogIdParams = z.object({
  id: logId.openapi({ param: { name: 'id', in: 'path' } }),
});

export const UserIdParams = z.object({
  id: z
    .string()
    .min(1)
    .max(256)
    .openapi({ param: { name: 'id', in: 'path' }, example: 'auth0|abc' }),
});
