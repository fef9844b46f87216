import { describe, expect, it } from 'vitest';
import { ADMINISTRATOR_ROLE } from '../src/console/console-client.js';
import { consoleSetupLink, hasAdministrator, SETUP_LINK_TTL } from '../src/console/console-setup.js';
import { Browser, hiddenFields, password, type TestServer, useTestServer } from './harness.js';

/** The path and query of the setup link, as the test server takes requests. */
async function setupPath(t: TestServer): Promise<string> {
  const link = await consoleSetupLink(t.server.context);
  expect(link).toMatch(new RegExp(`^${t.issuer}console/setup\\?token=`));
  const url = new URL(link!);
  return `${url.pathname}${url.search}`;
}

async function openSetup(t: TestServer, browser = new Browser(t)) {
  const path = await setupPath(t);
  const page = await browser.get(path);
  const html = await page.text();
  return { browser, path, page, html, fields: hiddenFields(html) };
}

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) console.warn('DATABASE_URL is unset: skipping the PostgreSQL console setup tests.');
const storages: [string, string | undefined][] = [
  ['SQLite', undefined],
  ['PostgreSQL', databaseUrl],
];

for (const [storage, url] of storages) {
  describe.skipIf(storage === 'PostgreSQL' && !url)(
    `the console setup link: the first administrator (${storage})`,
    () => {
      const t = useTestServer(url ? { databaseUrl: url } : {});

      it('creates the first administrator from the printed link, signs them in, and then stops working', async () => {
        expect(await hasAdministrator(t().server.context)).toBe(false);
        const { browser, path, page, html, fields } = await openSetup(t());
        const second = await openSetup(t());
        expect(page.status).toBe(200);
        expect(html).toContain('Create the first administrator');
        expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");

        const created = await browser.post('/console/setup', {
          ...fields,
          email: 'Root@Example.com',
          name: 'Root',
          password,
        });
        expect(created.status).toBe(303);
        expect(created.headers.get('location')).toBe('/console/');
        const user = await t().server.context.storage.users.findByLogin('root@example.com');
        expect((await t().server.context.storage.roles.forUser(user!.id)).map((role) => role.name)).toEqual([
          ADMINISTRATOR_ROLE,
        ]);
        // The browser is signed in as the administrator: the account page knows them.
        const account = await browser.get('/account');
        expect(account.status).toBe(200);
        expect(await account.text()).toContain('root@example.com');
        // The change is in the audit log, made by the server itself.
        const [entry] = await t().server.context.storage.logs.listFrom({
          take: 1,
          filter: [{ field: 'type', anyOf: ['sapi'] }],
        });
        expect(entry).toMatchObject({ description: 'Create a user', userId: null, clientId: null });
        expect(JSON.stringify(entry!.details)).toContain(user!.id);
        expect(JSON.stringify(entry)).not.toContain(password);

        // Once there is an administrator there is no link, and the old one is refused.
        expect(await consoleSetupLink(t().server.context)).toBeUndefined();
        const other = new Browser(t());
        const reopened = await other.get(path);
        expect(reopened.status).toBe(403);
        expect(await reopened.text()).toContain('already has an administrator');
        // A form opened in another browser before the administrator was created is refused after.
        const late = await second.browser.post('/console/setup', {
          ...second.fields,
          email: 'second@example.com',
          password,
        });
        expect(late.status).toBe(403);
        expect(await late.text()).toContain('already has an administrator');
        expect(await t().server.context.storage.users.findByLogin('second@example.com')).toBeUndefined();
      });

      it('refuses an expired, tampered or missing link', async () => {
        const path = await setupPath(t());
        t().advance(SETUP_LINK_TTL + 1);
        const expired = await new Browser(t()).get(path);
        expect(expired.status).toBe(403);
        expect(await expired.text()).toContain('not valid or has expired');
        const fresh = await setupPath(t());
        const tampered = `${fresh.slice(0, -3)}${fresh.endsWith('AAA') ? 'BBB' : 'AAA'}`;
        expect((await new Browser(t()).get(tampered)).status).toBe(403);
        expect((await new Browser(t()).get('/console/setup')).status).toBe(403);
        expect(await hasAdministrator(t().server.context)).toBe(false);
      });

      it('shows what is wrong with the email or password, and refuses a taken email', async () => {
        const { browser, fields } = await openSetup(t());
        const weak = await browser.post('/console/setup', {
          ...fields,
          email: 'root@example.com',
          password: 'short',
        });
        expect(weak.status).toBe(400);
        const weakHtml = await weak.text();
        expect(weakHtml).toContain('role="alert"');
        expect(weakHtml).toContain('value="root@example.com"');
        const badEmail = await browser.post('/console/setup', {
          ...hiddenFields(weakHtml),
          email: 'root@',
          password,
        });
        expect(badEmail.status).toBe(400);
        const taken = await browser.post('/console/setup', {
          ...hiddenFields(await badEmail.text()),
          email: 'user@example.com',
          password,
        });
        expect(taken.status).toBe(409);
        expect(await taken.text()).toContain('already exists');
        expect(await hasAdministrator(t().server.context)).toBe(false);
      });

      it('refuses a form posted from another site, or without its CSRF token', async () => {
        const { browser, fields } = await openSetup(t());
        const crossSite = await browser.post(
          '/console/setup',
          { ...fields, email: 'root@example.com', password },
          { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
        );
        expect(crossSite.status).toBe(403);
        const { csrf_token: _, ...withoutCsrf } = fields;
        const noCsrf = await browser.post('/console/setup', {
          ...withoutCsrf,
          email: 'root@example.com',
          password,
        });
        expect(noCsrf.status).toBe(403);
        expect(await hasAdministrator(t().server.context)).toBe(false);
      });
    },
  );
}
