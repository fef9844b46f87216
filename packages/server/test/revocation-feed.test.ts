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

/** Reads the revocation entries of a server-sent event stream as they arrive. */
function readFeed(response: Response) {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  const events: FeedEntry[] = [];
  let buffer = '';
  return {
    /**
     * Reads until `until` holds for the entries read so far (then returns them all). Gives up
     * after a generous 10 s between reads, a deadline and not a measurement; a read that never
     * returns is ended by the test's own timeout.
     */
    async until(until: (events: FeedEntry[]) => boolean): Promise<FeedEntry[]> {
      const deadline = Date.now() + 10_000;
      while (!until(events)) {
        if (Date.now() > deadline) throw new Error(`the feed did not send it: ${JSON.stringify(events)}`);
        const { value, done } = await reader.read();
        if (done) throw new Error(`the feed ended first: ${JSON.stringify(events)}`);
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
      return [...events];
    },
    close: () => reader.cancel(),
  };
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
    const { access_token, jti } = await spaAccessToken(t());
    const response = await t().request('/oauth/revocations', { headers: { accept: 'text/event-stream' } });
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const feed = readFeed(response);
    try {
      expect((await feed.until((seen) => seen.length >= 1)).map((entry) => entry.kind)).toEqual(['user']);
      // Revoked once the stream has sent its backlog: the entry can only arrive as a push.
      await t().request('/oauth/revoke', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token: access_token, client_id: t().spa }).toString(),
      });
      const events = await feed.until((seen) => seen.some((entry) => entry.value === jti));
      expect(events.map((entry) => entry.kind)).toEqual(['user', 'jti']);
    } finally {
      await feed.close();
    }
  });

  it('resumes after Last-Event-ID without repeating what the follower has', async () => {
    await t().admin.revokeUser('admin@example.com');
    await t().admin.revokeUser('user@example.com');
    const first = (await (await t().request('/oauth/revocations')).json()) as { entries: FeedEntry[] };
    const response = await t().request('/oauth/revocations', {
      headers: { accept: 'text/event-stream', 'last-event-id': String(first.entries[0]!.seq) },
    });
    const feed = readFeed(response);
    try {
      const events = await feed.until((seen) => seen.length >= 1);
      expect(events.map((entry) => entry.value)).toEqual([t().userId]);
    } finally {
      await feed.close();
    }
  });
});
