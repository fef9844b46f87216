// Angular's libraries ship partially compiled; the JIT linker finishes them when tests load them.
import '@angular/compiler';
import { Location } from '@angular/common';
import type { ActivatedRouteSnapshot, RouterStateSnapshot } from '@angular/router';
import { describe, expect, it } from 'vitest';
import { createTestInjector, daenerys, FakeWardenClient, inContext } from '../test/fake-warden-client.js';
import { authGuard } from './auth-guard.js';

/** Location under a base href, as `prepareExternalUrl` does it. */
const location = (baseHref: string) => ({
  provide: Location,
  useValue: { prepareExternalUrl: (url: string) => `${baseHref.replace(/\/$/, '')}${url}` },
});

function activate(client: FakeWardenClient, url: string, baseHref = '/') {
  const injector = createTestInjector(client, [location(baseHref)]);
  return inContext(injector, () =>
    authGuard({} as ActivatedRouteSnapshot, { url } as RouterStateSnapshot),
  ) as Promise<boolean>;
}

describe('authGuard', () => {
  it('lets a signed-in user through without a sign-in', async () => {
    const client = new FakeWardenClient();
    client.finishStart({ outcome: 'restored' }, daenerys);
    await expect(activate(client, '/profile')).resolves.toBe(true);
    expect(client.logins).toEqual([]);
  });

  it('sends a signed-out user to sign in, coming back to the URL they wanted', async () => {
    const client = new FakeWardenClient();
    client.finishStart({ outcome: 'signed-out' });
    await expect(activate(client, '/profile?tab=token#claims')).resolves.toBe(false);
    expect(client.logins).toEqual([{ returnTo: '/profile?tab=token#claims' }]);
  });

  it('keeps the base href in the return URL', async () => {
    const client = new FakeWardenClient();
    client.finishStart({ outcome: 'signed-out' });
    await activate(client, '/profile', '/dragons/');
    expect(client.logins).toEqual([{ returnTo: '/dragons/profile' }]);
  });

  it('waits for the session to be restored before deciding', async () => {
    const client = new FakeWardenClient();
    const decision = activate(client, '/profile');
    await Promise.resolve();
    client.finishStart({ outcome: 'restored' }, daenerys);
    await expect(decision).resolves.toBe(true);
    expect(client.logins).toEqual([]);
  });

  it('neither lets through nor starts a second sign-in while a silent one is under way', async () => {
    const client = new FakeWardenClient();
    client.finishStart({ outcome: 'redirecting' });
    const outcome = await Promise.race([
      activate(client, '/profile'),
      new Promise((resolve) => setTimeout(() => resolve('pending'), 20)),
    ]);
    expect(outcome).toBe('pending');
    expect(client.logins).toEqual([]);
  });
});
