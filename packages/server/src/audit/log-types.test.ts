import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { logTypes } from './log-types.js';

describe('logTypes', () => {
  it('are the codes docs/audit-log.md lists, each with its name', () => {
    const doc = readFileSync(new URL('../../../../docs/audit-log.md', import.meta.url), 'utf8');
    const events = doc.slice(doc.indexOf('## Events'), doc.indexOf('### Not written'));
    const rows = [...events.matchAll(/^\| `([a-z_]+)` \| ([^|]+) \|/gm)].map(([, code, name]) => [
      code,
      name!.trim(),
    ]);
    expect(rows).toEqual(
      Object.entries(logTypes).map(([code, name]) => [
        code,
        code === 'consent_granted' ? "— (Warden's own)" : name,
      ]),
    );
  });
});
