import { describe, expect, it } from 'vitest';
import { createVerifier } from '../src/create-verifier.js';
import { ADAPTERS } from './adapter-apps.js';
import { CASES, profileOptions } from './cases.js';
import { createFakeFetch, JWKS_URI, loadFixtures, REALM } from './fixtures.js';

describe.each(ADAPTERS)('$name adapter', (adapter) => {
  it.each(CASES)('$name', async (testCase) => {
    const f = await loadFixtures();
    const fake = createFakeFetch(f.jwks);
    const verifier = createVerifier(profileOptions(testCase.profile ?? 'default', fake, f));
    let handled = 0;
    const app = await adapter.build(verifier, () => {
      handled++;
    });
    try {
      const response = await app.send(await testCase.request(f));
      const body = JSON.parse(response.body) as Record<string, unknown>;

      expect({ status: response.status, body }).toMatchObject({ status: testCase.status });
      expect(handled).toBe(testCase.status === 200 ? 1 : 0);
      if (testCase.status === 200) {
        expect(body).toMatchObject({ sub: testCase.sub, clientId: 'dragons-spa', via: 'bearer' });
      } else {
        expect(body.error).toBe(testCase.error ?? 'invalid_request');
        expect(typeof body.error_description).toBe('string');
        expect(response.header('cache-control')).toBe('no-store');
        const challenge = response.header('www-authenticate');
        if (testCase.error === null) {
          expect(challenge).toBe(`Bearer realm="${REALM}"`);
        } else if (testCase.status === 503) {
          expect(challenge).toBeNull();
        } else {
          expect(challenge).toMatch(
            new RegExp(`^Bearer realm="${REALM}", error="${testCase.error}", error_description="[^"]*"`),
          );
        }
        if (testCase.scope !== undefined) expect(challenge).toContain(`scope="${testCase.scope}"`);
      }
      // Keys come from the configured JWKS only (never jku, x5u or iss), at most one refetch.
      expect(fake.calls.every((url) => url === JWKS_URI)).toBe(true);
      expect(fake.calls.length).toBeLessThanOrEqual(2);
    } finally {
      await app.close();
      await verifier.close();
    }
  });
});
