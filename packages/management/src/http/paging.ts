import { z } from '@hono/zod-openapi';

/** `true` or `false` in a query string. */
export const queryBoolean = z
  .enum(['true', 'false'])
  .transform((value) => value === 'true')
  .openapi({ type: 'boolean' });

/** Auth0's offset paging: `page` (from 0), `per_page` (1 to 100, default 50), `include_totals`. */
export const PageQuery = {
  page: z.coerce
    .number()
    .int()
    .min(0)
    .optional()
    .openapi({ description: 'Page index of the results, from 0.', example: 0 }),
  per_page: z.coerce
    .number()
    .int()
    .min(1)
    .max(100)
    .optional()
    .openapi({ description: 'Results per page: 1 to 100, default 50.', example: 50 }),
  include_totals: queryBoolean.optional().openapi({
    description: 'true: answer { start, limit, length, total, <items> } instead of the bare list.',
  }),
};

/** Auth0's field selection: `fields` (comma-separated) with `include_fields` (default true). */
export const FieldsQuery = {
  fields: z.string().max(2048).optional().openapi({
    description: 'Comma-separated fields to include (or to leave out with include_fields=false).',
  }),
  include_fields: queryBoolean
    .optional()
    .openapi({ description: 'Whether `fields` are the ones to include (default true).' }),
};

export interface PageParams {
  page?: number | undefined;
  per_page?: number | undefined;
  include_totals?: boolean | undefined;
}

export interface FieldParams {
  fields?: string | undefined;
  include_fields?: boolean | undefined;
}

/** The default and largest page sizes (Auth0's). */
export const DEFAULT_PER_PAGE = 50;

/**
 * One page of `items` as Auth0 answers a list: the bare array, or with `include_totals`
 * `{ start, limit, length, total, [key]: items }`.
 */
export function pageOf<T>(key: string, items: readonly T[], params: PageParams): unknown {
  const perPage = params.per_page ?? DEFAULT_PER_PAGE;
  const start = (params.page ?? 0) * perPage;
  const slice = items.slice(start, start + perPage);
  if (!params.include_totals) return slice;
  return { start, limit: perPage, length: slice.length, total: items.length, [key]: slice };
}

/**
 * `fields` / `include_fields` applied to one object: only the named fields (or all but them). A
 * name that is not a field of the object selects nothing.
 */
export function selectFields<T extends object>(item: T, params: FieldParams): Partial<T> {
  if (params.fields === undefined) return item;
  const names = new Set(
    params.fields
      .split(',')
      .map((name) => name.trim())
      .filter(Boolean),
  );
  const include = params.include_fields ?? true;
  return Object.fromEntries(
    Object.entries(item).filter(([name]) => names.has(name) === include),
  ) as Partial<T>;
}
