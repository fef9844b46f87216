import { randomToken } from '@warden/protocol';
import fc from 'fast-check';
import { apiId, basic } from '../harness.js';
import { toHeaderSafe } from './arbitraries.js';
import { expectSoundAnswer } from './check-answer.js';
import type { AnswerKind, Method } from './endpoints.js';
import { idTokenFor } from './flows.js';
import { type JwtRecipe, jwtRecipeArbitrary, makeJwt } from './junk-jwt.js';
import type { FuzzWorld } from './world.js';

/**
 * Tokens signed with the server's own current key but holding junk (claims of the wrong type,
 * odd header members, payloads that are no claims object), sent wherever the server reads a
 * token: as a bearer token at `/userinfo` (header or form), to `/oauth/revoke` and
 * `/oauth/introspect`, and as an `id_token_hint` at `/logout` and `/authorize`.
 */
export type TokenUse = {
  recipe: JwtRecipe;
  at: 'userinfo-header' | 'userinfo-form' | 'revoke' | 'introspect' | 'logout-hint' | 'authorize-hint';
  hint: 'access_token' | 'refresh_token' | 'junk' | null;
};

export const tokenUseArbitrary: fc.Arbitrary<TokenUse> = fc.record({
  recipe: jwtRecipeArbitrary,
  at: fc.constantFrom(
    'userinfo-header',
    'userinfo-header',
    'userinfo-form',
    'revoke',
    'revoke',
    'introspect',
    'logout-hint',
    'authorize-hint',
  ),
  hint: fc.constantFrom('access_token', 'refresh_token', 'junk', null),
});

/** An access token of the server's own key for the user, with the recipe's junk. */
function accessTokenFor(world: FuzzWorld, recipe: JwtRecipe): Promise<string> {
  const now = Math.floor(world.t.clock() / 1000);
  return makeJwt(
    recipe,
    {
      header: { alg: 'RS256', kid: world.kid, typ: 'at+jwt' },
      claims: {
        iss: world.t.issuer,
        sub: world.t.userId,
        aud: [apiId, `${world.t.issuer}userinfo`],
        exp: now + 600,
        iat: now,
        jti: randomToken(16),
        client_id: world.t.spa,
        scope: 'openid profile email',
      },
    },
    world.sign,
  );
}

export async function runTokenUse(world: FuzzWorld, use: TokenUse): Promise<void> {
  const { t } = world;
  const hint =
    use.hint === 'junk' ? [['token_type_hint', 'id_token']] : use.hint ? [['token_type_hint', use.hint]] : [];
  const form = (fields: string[][]) => ({
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
  let kind: AnswerKind = 'json';
  let path: string;
  let init: RequestInit;
  switch (use.at) {
    case 'userinfo-header':
      path = '/userinfo';
      init = {
        headers: { authorization: `Bearer ${toHeaderSafe(await accessTokenFor(world, use.recipe))}` },
      };
      break;
    case 'userinfo-form':
      path = '/userinfo';
      init = form([['access_token', await accessTokenFor(world, use.recipe)]]);
      break;
    case 'revoke':
      path = '/oauth/revoke';
      init = form([['client_id', t.spa], ['token', await accessTokenFor(world, use.recipe)], ...hint]);
      break;
    case 'introspect': {
      path = '/oauth/introspect';
      init = form([['token', await accessTokenFor(world, use.recipe)], ...hint]);
      (init.headers as Record<string, string>).authorization = basic(t.web.client_id, t.web.client_secret);
      break;
    }
    case 'logout-hint':
      kind = 'page';
      path = `/logout?${new URLSearchParams({ id_token_hint: await idTokenFor(world, use.recipe) })}`;
      init = {};
      break;
    case 'authorize-hint':
      kind = 'page';
      path = `/authorize?${new URLSearchParams({
        response_type: 'code',
        client_id: t.spa,
        redirect_uri: 'http://localhost:4200/callback',
        scope: 'openid',
        prompt: 'none',
        code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
        code_challenge_method: 'S256',
        id_token_hint: await idTokenFor(world, use.recipe),
      })}`;
      init = {};
      break;
  }
  world.clearLog();
  const response = await t.request(path, init);
  await expectSoundAnswer(response, world.context(kind, (init.method ?? 'GET') as Method));
}
