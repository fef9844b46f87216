import { describe, expect, it } from 'vitest';
import { signInWithCode, type TestServer, useTestServer } from './harness.js';
import { exchangeCode } from './token-helpers.js';

interface FeedEntry {
  seq: number;
  kind: string;
  value: string;
  notBefore: number;
  expiresAt: number;
}

async function spaAccessToken(t: TestServer): Promise<{ access_token: string; jti: string }> {
  const response = await exchangeCode(t, await signInWithCode(t));
  const { access_token } = (await response.json()) as { access_token: string };
  const payload = JSON.parse(Buffer.from(access_token.split('.')[1]!, 'base64url').toString()) as {
    jti: string;
  };
  return { access_token, jti: payload.jti };
}

/** Reads server-sent events from a streaming response until `until` says stop (or 5 s pass). */
async function readEvents(response: Response, until: (events: FeedEntry[]) => boolean): Promise<FeedEntry[]> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  const events: FeedEntry[] = [];
  let buffer = '';
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline && !until(events)) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let end = buffer.indexOf('\n\n');
    while (end >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      if (block.includes('event: revocation')) {
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (data) events.push(JSON.parse(data) as FeedEntry);
      }
      end = buffer.indexOf('\n\n');
    }
  }
  await reader.cancel();
  return events;
}

describe('the revocation feed', () => {
  const t = useTestServer();

  it('lists revocations after a sequence number as JSON', async () => {
    const { access_token, jti } = await spaAccessToken(t());
    await t().request('/oauth/revoke', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: access_token, client_id: t().spa }).toString(),
    });
    await t().admin.revokeUser('user@example.com');
    const all = (await (await t().request('/oauth/revocations')).json()) as {
      entries: FeedEntry[];
      last_seq: number;
    };
    expect(all.entries.map((entry) => [entry.kind, entry.value])).toEqual([
      ['jti', jti],
      ['user', t().userId],
    ]);
    const later = (await (await t().request(`/oauth/revocations?after=${all.entries[0]!.seq}`)).json()) as {
      entries: FeedEntry[];
    };
    expect(later.entries.map((entry) => entry.kind)).toEqual(['user']);
    expect((await t().request('/oauth/revocations?after=-1')).status).toBe(400);
  });

  it('streams the backlog and then new revocations as server-sent events', async () => {
    await t().admin.revokeUser('admin@example.com');
    const response = await t().request('/oauth/revocations', { headers: { accept: 'text/event-stream' } });
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const { access_token, jti } = await spaAccessToken(t());
    setTimeout(() => {
      void t().request('/oauth/revoke', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token: access_token, client_id: t().spa }).toString(),
      });
    }, 100);
    const started = Date.now();
    const events = await readEvents(response, (seen) => seen.some((entry) => entry.value === jti));
    expect(events.map((entry) => entry.kind)).toEqual(['user', 'jti']);
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('resumes after Last-Event-ID without repeating what the follower has', async () => {
    await t().admin.revokeUser('admin@example.com');
    await t().admin.revokeUser('user@example.com');
    const first = (await (await t().request('/oauth/revocations')).json()) as { entries: FeedEntry[] };
    const response = await t().request('/oauth/revocations', {
      headers: { accept: 'text/event-stream', 'last-event-id': String(first.entries[0]!.seq) },
    });
    const events = await readEvents(response, (seen) => seen.length >= 1);
    expect(events.map((entry) => entry.value)).toEqual([t().userId]);
  });
});
