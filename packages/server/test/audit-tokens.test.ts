import { describe, expect, it } from 'vitest';
import { allLogs, auditStorages, fromAddress, lastLogId, onlyLog } from './audit-helpers.js';
import { apiId, signInWithCode, useTestServer } from './harness.js';
import { clientCredentials, exchangeCode, refreshAsSpa, spaTokens } from './token-helpers.js';

/**
 * The audit log of the token endpoint: code and client credentials exchanges (successes and
 * failures), refresh failures and reuse; successful refreshes are not written (see
 * docs/audit-log.md).
 */

const IP = '198.51.100.23';
const AGENT = 'token-client/2.1';

for (const [storage, url] of auditStorages()) {
  describe.skipIf(storage === 'PostgreSQL' && !url)(
    `the audit log of the token endpoint (${storage})`,
    () => {
      const t = useTestServer(url ? { databaseUrl: url } : {});

      it('records an exchanged code (seacft) with the app, user, audience and scope', async () => {
        const from = fromAddress(t(), IP, AGENT);
        const flow = await signInWithCode(from);
        const after = await lastLogId(t());
        expect((await exchangeCode(from, flow)).status).toBe(200);
        expect(await onlyLog(t(), 'seacft', after)).toMatchObject({
          clientId: t().spa,
          clientName: 'Dragons',
          userId: t().userId,
          userName: 'user@example.com',
          ip: IP,
          userAgent: AGENT,
          details: { audience: apiId, scope: 'openid profile email offline_access read:dragons' },
        });
      });

      it('records a refused code exchange (feacft) with why', async () => {
        const from = fromAddress(t(), IP, AGENT);
        const flow = await signInWithCode(from);
        const after = await lastLogId(t());
        const refused = await exchangeCode(from, flow, { code_verifier: 'x'.repeat(43) });
        expect(refused.status).toBe(400);
        expect(await onlyLog(t(), 'feacft', after)).toMatchObject({
          clientId: t().spa,
          ip: IP,
          description: 'code_verifier does not match the code_challenge',
          details: { error: 'invalid_grant', grant_type: 'authorization_code' },
        });
      });

      it('writes nothing for a successful refresh; records a refused one (fertft)', async () => {
        const { body } = await spaTokens(t());
        let after = await lastLogId(t());
        expect((await refreshAsSpa(t(), body.refresh_token!)).status).toBe(200);
        expect((await allLogs(t())).filter((log) => log.logId > after)).toEqual([]);

        after = await lastLogId(t());
        const from = fromAddress(t(), IP, AGENT);
        expect((await refreshAsSpa(from, 'not-a-refresh-token')).status).toBe(400);
        expect(await onlyLog(t(), 'fertft', after)).toMatchObject({
          clientId: t().spa,
          userId: null,
          ip: IP,
          description: 'the refresh token is invalid',
          details: { error: 'invalid_grant', grant_type: 'refresh_token' },
        });
      });

      it('records a reused refresh token (ferrt): the user, and that its family is revoked', async () => {
        const { body } = await spaTokens(t());
        expect((await refreshAsSpa(t(), body.refresh_token!)).status).toBe(200);
        t().advance(t().server.context.config.refreshGraceWindow + 1);
        const after = await lastLogId(t());
        const from = fromAddress(t(), IP, AGENT);
        expect((await refreshAsSpa(from, body.refresh_token!)).status).toBe(400);
        expect(await onlyLog(t(), 'ferrt', after)).toMatchObject({
          clientId: t().spa,
          userId: t().userId,
          userName: 'user@example.com',
          ip: IP,
          details: { error: 'invalid_grant', family_revoked: true },
        });
        expect((await allLogs(t())).filter((log) => log.type === 'fertft' && log.logId > after)).toEqual([]);
      });

      it('records client credentials exchanged (seccft) and refused (feccft)', async () => {
        const from = fromAddress(t(), IP, AGENT);
        let after = await lastLogId(t());
        expect((await clientCredentials(from, { audience: apiId })).status).toBe(200);
        expect(await onlyLog(t(), 'seccft', after)).toMatchObject({
          clientId: t().m2m.client_id,
          clientName: 'Dragon Feeder',
          userId: null,
          ip: IP,
          userAgent: AGENT,
          details: { audience: apiId, scope: 'read:dragons read:orders' },
        });

        after = await lastLogId(t());
        const wrongSecret = { client_id: t().m2m.client_id, client_secret: 'w'.repeat(43) };
        expect((await clientCredentials(from, { audience: apiId }, wrongSecret)).status).toBe(401);
        expect((await clientCredentials(from, { audience: 'https://unknown.example/' })).status).toBe(400);
        const unknownClient = { client_id: 'no-such-client', client_secret: 'w'.repeat(43) };
        expect((await clientCredentials(from, {}, unknownClient)).status).toBe(401);
        const refused = (await allLogs(t())).filter((log) => log.logId > after);
        expect(refused).toMatchObject([
          {
            type: 'feccft',
            clientId: t().m2m.client_id,
            description: 'unknown client or wrong credentials',
            details: { error: 'invalid_client' },
          },
          { type: 'feccft', clientId: t().m2m.client_id, details: { error: 'invalid_target' } },
          { type: 'feccft', clientId: null, details: { error: 'invalid_client' } },
        ]);
      });
    },
  );
}
