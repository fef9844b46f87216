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

/**
 * What `promise` has come to once every promise job queued so far, and every one those queue, has
 * run (the next task starts only after them all): its value, or 'pending'. The guard waits on
 * nothing but promises (no timer, no I/O), so a guard still pending then waits for something
 * outside it, not for time to pass.
 */
function stateAfterPromiseJobs<T>(promise: Promise<T>): Promise<T | 'pending'> {
  const nextTask = new Promise<'pending'>((resolve) => setTimeout(() => resolve('pending')));
  return Promise.race([promise, nextTask]);
}

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
    const decision = activate(client, '/profile');
    expect(await stateAfterPromiseJobs(decision)).toBe('pending');
    // It did read the start's outcome: the page is leaving for the idp, so it neither decides nor signs in.
    expect(client.starts).toBe(1);
    expect(client.logins).toEqual([]);
  });
});
