import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { KeyView } from '@warden/server';
import { adminCall, type ResourceErrors } from '../http/admin-call.js';
import type { ManagementAuth, ManagementEnv } from '../http/authorize.js';
import { errorResponses, jsonAnswer, needs } from '../http/route-parts.js';

const KEY_ERRORS: ResourceErrors = {
  notFound: 'inexistent_signing_key',
  conflict: 'signing_key_conflict',
  fields: {},
};

export const SigningKey = z
  .object({
    kid: z.string(),
    alg: z
      .enum(['RS256', 'PS256', 'ES256', 'EdDSA'])
      .openapi({ description: 'Warden keeps keys per algorithm.' }),
    current: z.boolean().openapi({ description: 'Signs now.' }),
    next: z.boolean().openapi({ description: 'Published, signs after the next rotation.' }),
    previous: z.boolean().openapi({ description: 'Signed before; published until its tokens expire.' }),
    revoked: z.boolean(),
    current_since: z.string().optional().openapi({ format: 'date-time' }),
    current_until: z.string().optional().openapi({ format: 'date-time' }),
    revoked_at: z.string().optional().openapi({ format: 'date-time' }),
  })
  .openapi('SigningKey');

const KidParams = z.object({
  kid: z
    .string()
    .min(1)
    .max(256)
    .openapi({ param: { name: 'kid', in: 'path' } }),
});

const tags = ['Keys'];

const list = createRoute({
  method: 'get',
  path: '/keys/signing',
  tags,
  summary: 'List signing keys',
  security: needs('read:signing_keys'),
  responses: {
    200: jsonAnswer('Every key: next, current, previous and revoked.', z.array(SigningKey)),
    ...errorResponses(401, 403),
  },
});

const get = createRoute({
  method: 'get',
  path: '/keys/signing/{kid}',
  tags,
  summary: 'Get a signing key',
  security: needs('read:signing_keys'),
  request: { params: KidParams },
  responses: { 200: jsonAnswer('The key.', SigningKey), ...errorResponses(400, 401, 403, 404) },
});

const rotate = createRoute({
  method: 'post',
  path: '/keys/signing/rotate',
  tags,
  summary: 'Rotate the signing keys',
  description:
    'For every algorithm: the next key becomes current, the current one previous (published until its tokens expire), and a new next key is published.',
  security: needs('create:signing_keys', 'update:signing_keys'),
  responses: {
    201: jsonAnswer(
      'The new current key of RS256 (the idp signs ID tokens with it).',
      z.object({ kid: z.string() }),
    ),
    ...errorResponses(401, 403),
  },
});

const revoke = createRoute({
  method: 'put',
  path: '/keys/signing/{kid}/revoke',
  tags,
  summary: 'Revoke a signing key',
  description:
    'A previous or next key leaves the JWKS and goes on the revocation feed: APIs that follow it refuse its tokens at once. The current key is refused (rotate first). `warden keys revoke-all` revokes every key.',
  security: needs('update:signing_keys'),
  request: { params: KidParams },
  responses: {
    200: jsonAnswer('The revoked key.', z.object({ kid: z.string() })),
    ...errorResponses(400, 401, 403, 404),
  },
});

/** A key in Auth0's signing key shape (without certificates: Warden publishes JWKs). */
export function toAuth0SigningKey(key: KeyView): z.infer<typeof SigningKey> {
  const iso = (seconds: number | null) =>
    seconds === null ? undefined : new Date(seconds * 1000).toISOString();
  const since = iso(key.activatedAt);
  const until = key.status === 'retired' || key.status === 'revoked' ? iso(key.retiredAt) : undefined;
  return {
    kid: key.kid,
    alg: key.alg,
    current: key.status === 'current',
    next: key.status === 'next',
    previous: key.status === 'retired',
    revoked: key.status === 'revoked',
    ...(since === undefined ? {} : { current_since: since }),
    ...(until === undefined || key.activatedAt === null ? {} : { current_until: until }),
    ...(key.status === 'revoked' && until !== undefined ? { revoked_at: until } : {}),
  };
}

/** `/keys/signing`: Auth0's signing key endpoints over the domain's key operations. */
export function signingKeyRoutes(app: OpenAPIHono<ManagementEnv>, auth: ManagementAuth): void {
  app.openapi({ ...list, middleware: [auth.require('read:signing_keys')] }, async (c) => {
    return c.json((await c.var.admin.listKeys()).map(toAuth0SigningKey), 200);
  });

  app.openapi(
    { ...rotate, middleware: [auth.require('create:signing_keys', 'update:signing_keys')] },
    async (c) => {
      const rotated = await c.var.admin.rotateKeys();
      const rs256 = rotated.find((entry) => entry.alg === 'RS256') ?? rotated[0];
      return c.json({ kid: rs256?.current ?? '' }, 201);
    },
  );

  app.openapi({ ...get, middleware: [auth.require('read:signing_keys')] }, async (c) => {
    const { kid } = c.req.valid('param');
    return c.json(toAuth0SigningKey(await adminCall(KEY_ERRORS, () => c.var.admin.getKey(kid))), 200);
  });

  app.openapi({ ...revoke, middleware: [auth.require('update:signing_keys')] }, async (c) => {
    const { kid } = c.req.valid('param');
    const key = await adminCall(KEY_ERRORS, () => c.var.admin.revokeKey(kid));
    return c.json({ kid: key.kid }, 200);
  });
}
