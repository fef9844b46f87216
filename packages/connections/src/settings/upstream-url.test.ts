import { describe, expect, it } from 'vitest';
import { upstreamUrlProblem } from './upstream-url.js';

describe('upstreamUrlProblem', () => {
  it.each<[unknown, boolean, string | undefined]>([
    ['https://login.example', false, undefined],
    ['https://login.example/tenant/v2.0', false, undefined],
    ['http://login.example', true, 'must use https'],
    ['http://localhost:3002/', false, 'allowInsecureLocalhost'],
    ['http://localhost:3002/', true, undefined],
    ['http://127.0.0.1:3002/', true, undefined],
    ['http://[::1]:3002/', true, undefined],
    ['http://localhost.example.com/', true, 'must use https'],
    ['ftp://login.example', true, 'must use https'],
    ['javascript:alert(1)', true, 'must use https'],
    ['https://login.example/#x', false, 'must not have a fragment'],
    ['https://user:pw@login.example', false, 'must not hold a user name or password'],
    ['/relative', false, 'is not an absolute URL'],
    [`https://login.example/${'a'.repeat(2048)}`, false, 'at most 2048'],
    [42, false, 'must be an https URL'],
  ])('%j (localhost http allowed: %s): %s', (url, allow, problem) => {
    const found = upstreamUrlProblem(url, allow);
    if (problem === undefined) expect(found).toBeUndefined();
    else expect(found).toContain(problem);
  });
});
