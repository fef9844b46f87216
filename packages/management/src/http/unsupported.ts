import { z } from '@hono/zod-openapi';

/**
 * Schema entries for fields of Auth0's Management API that Warden does not support: any value
 * (even null) is refused with a 400 naming the field, so nothing is ever dropped in silence, and
 * the OpenAPI document lists them as such.
 */
export function unsupportedFields(names: readonly string[]) {
  return Object.fromEntries(
    names.map((name) => [
      name,
      z
        .unknown()
        .refine((value) => value === undefined, {
          error: `${name} is an Auth0 field Warden does not support`,
        })
        .optional()
        .openapi({ description: 'An Auth0 field Warden does not support: refused with 400.' }),
    ]),
  );
}

/** Every entry of a shape made optional, keeping its types (for bodies where nothing is required). */
export function optionalAll<T extends Record<string, z.ZodType>>(
  shape: T,
): { [K in keyof T]: z.ZodOptional<T[K]> } {
  return Object.fromEntries(Object.entries(shape).map(([key, schema]) => [key, schema.optional()])) as {
    [K in keyof T]: z.ZodOptional<T[K]>;
  };
}
