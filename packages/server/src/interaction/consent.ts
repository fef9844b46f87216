import { clientFields, userFields } from '../audit/entry-fields.js';
import { consentScopes, continueAuthorization, sendError } from '../authorize/continue-authorization.js';
import { deleteInteraction, interactionClient, loadInteraction } from '../authorize/interactions.js';
import { nowSeconds } from '../config.js';
import { htmlResponse } from '../http/html-response.js';
import { readFormBody, readQuery } from '../http/read-params.js';
import { ConsentPage } from '../pages/consent-page.js';
import { describeScope } from '../pages/scope-descriptions.js';
import { checkFormOrigin, checkSessionCsrf, sessionCsrfToken } from '../security/form-csrf.js';
import type { ServerContext } from '../server-context.js';
import { displayName } from '../users/display-name.js';

/** `GET /u/consent?interaction=…`: what a third-party application asks for, to allow or deny. */
export async function showConsent(ctx: ServerContext, request: Request): Promise<Response> {
  const interaction = await loadInteraction(ctx, readQuery(request).get('interaction'));
  const client = await interactionClient(ctx, interaction);
  const session = await ctx.sso.load(request);
  const user = session ? await ctx.storage.users.get(session.userId) : undefined;
  if (!session || !user)
    return continueAuthorization(ctx, interaction.request, client, undefined, {
      interactionId: interaction.id,
    });
  const api = interaction.request.audience ? await ctx.registry.api(interaction.request.audience) : undefined;
  const page = ConsentPage({
    clientName: client.name,
    userName: displayName(user),
    action: '/u/consent',
    csrfToken: sessionCsrfToken(session),
    hidden: { interaction: interaction.id },
    scopes: interaction.request.scopes.map((name) => ({ name, description: describeScope(name) })),
    ...(api ? { apiName: api.name } : {}),
  });
  return htmlResponse(page, 200, [], [interaction.request.redirectUri]);
}

/** `POST /u/consent`: records the decision; "allow" is remembered per user, client and scopes. */
export async function submitConsent(ctx: ServerContext, request: Request): Promise<Response> {
  checkFormOrigin(ctx, request);
  const form = await readFormBody(request, ctx.config.maxBodySize);
  const interaction = await loadInteraction(ctx, form.get('interaction'));
  const client = await interactionClient(ctx, interaction);
  const session = await ctx.sso.load(request);
  if (!session)
    return continueAuthorization(ctx, interaction.request, client, undefined, {
      interactionId: interaction.id,
    });
  checkSessionCsrf(session, form.get('csrf_token'));
  if (form.get('decision') !== 'allow') {
    await deleteInteraction(ctx, interaction.id);
    return sendError(ctx, interaction.request, 'access_denied', 'the user denied the request');
  }
  const scopes = consentScopes(interaction.request);
  await ctx.storage.consents.grant(session.userId, client.clientId, scopes, nowSeconds(ctx.config));
  const user = await ctx.storage.users.get(session.userId);
  await ctx.audit.record({
    type: 'consent_granted',
    ...clientFields(client),
    ...(user ? userFields(user) : { userId: session.userId }),
    details: { scopes: interaction.request.scopes, audience: interaction.request.audience },
  });
  return continueAuthorization(ctx, interaction.request, client, session, {
    interactionId: interaction.id,
    freshLogin: session.authTime >= interaction.createdAt,
    consented: true,
  });
}
