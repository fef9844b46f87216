import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RevocationEntry } from '@warden/protocol';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EPOCH_MS } from '../test/fixtures.js';
import { RevocationFollower, type RevocationFollowerOptions } from './revocation-follower.js';

/** The test epoch in seconds: the entries' times and the follower's fake clock start here. */
const now = EPOCH_MS / 1000;

function entry(seq: number, kind: RevocationEntry['kind'], value: string, expiresAt = now + 600) {
  return { seq, kind, value, notBefore: now, expiresAt };
}

function event(e: RevocationEntry): string {
  return `id: ${e.seq}\nevent: revocation\ndata: ${JSON.stringify(e)}\n\n`;
}

function ready(lastSeq: number): string {
  return `event: ready\ndata: ${JSON.stringify({ last_seq: lastSeq })}\n\n`;
}

interface Connection {
  lastEventId: string | undefined;
  accept: string | undefined;
  res: ServerResponse;
}

/** A feed on 127.0.0.1 whose answer to each connection the test decides. */
class FakeFeed {
  readonly connections: Connection[] = [];
  readonly #server: Server;
  #handle: (connection: Connection, index: number) => void = () => {};
  #waiters: (() => void)[] = [];
  url = '';

  constructor() {
    this.#server = createServer((req: IncomingMessage, res: ServerResponse) => {
      const connection: Connection = {
        lastEventId: req.headers['last-event-id'] as string | undefined,
        accept: req.headers.accept,
        res,
      };
      this.connections.push(connection);
      this.#handle(connection, this.connections.length - 1);
      for (const wake of this.#waiters.splice(0)) wake();
    });
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}/oauth/revocations`;
  }

  /** Decides how each connection (0-based index) is answered. */
  onConnect(handle: (connection: Connection, index: number) => void): void {
    this.#handle = handle;
  }

  /** Resolves once `count` connections have been made. */
  async connectionCount(count: number): Promise<void> {
    while (this.connections.length < count) await new Promise<void>((resolve) => this.#waiters.push(resolve));
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise((resolve) => this.#server.close(resolve));
  }
}

function openStream(res: ServerResponse, body = ''): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
  res.write(body);
}

/** The real `setTimeout`, kept for polling while a test fakes the follower's timers. */
const realSetTimeout = globalThis.setTimeout;

/**
 * Polls `condition` until it holds, on real time and without moving fake timers (as `vi.waitFor`
 * would); fails after a generous 10 s, a deadline and not a measurement.
 */
async function until(condition: () => boolean): Promise<void> {
  const deadline = performance.now() + 10_000;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error('condition not met within 10 s');
    await new Promise((resolve) => realSetTimeout(resolve, 5));
  }
}

/** A fetch whose answer to each attempt (0-based) the test decides, counting the attempts. */
function scriptedFetch(answer: (attempt: number) => Response) {
  const fake = {
    attempts: 0,
    fetch: (async () => answer(fake.attempts++)) as unknown as typeof fetch,
  };
  return fake;
}

/** A feed answer that sends `body` and then stays open, as the idp's does. */
const liveStream = (body: string) =>
  new Response(
    new ReadableStream<Uint8Array>({
      start: (controller) => controller.enqueue(new TextEncoder().encode(body)),
    }),
    { headers: { 'content-type': 'text/event-stream' } },
  );

/**
 * Only the follower's timers (its reconnection back-off and idle timeout, which run on real time
 * in production) are faked: the test moves them, so a delay is checked without measuring one.
 */
const fakeTimers = () => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });

describe('RevocationFollower', () => {
  let feed: FakeFeed | undefined;
  let follower: RevocationFollower | undefined;
  let clock = now * 1000;

  async function follow(options: Partial<RevocationFollowerOptions> = {}): Promise<RevocationFollower> {
    follower = new RevocationFollower({
      feedUrl: feed!.url,
      clock: () => clock,
      reconnectDelay: 10,
      maxReconnectDelay: 40,
      ...options,
    });
    follower.start();
    return follower;
  }

  async function startFeed(): Promise<FakeFeed> {
    const started = new FakeFeed();
    await started.listen();
    feed = started;
    return started;
  }

  afterEach(async () => {
    vi.useRealTimers();
    await follower?.close();
    follower = undefined;
    await feed?.close();
    feed = undefined;
    clock = now * 1000;
  });

  it('applies the backlog, becomes ready, and then applies pushed entries', async () => {
    const feed = await startFeed();
    feed.onConnect(({ res }) => {
      openStream(
        res,
        `retry: 1000\n\n${event(entry(1, 'jti', 'a'))}${event(entry(2, 'user', 'u1'))}${ready(2)}`,
      );
    });
    const f = await follow();
    expect(f.staleness()).toBeNull();
    await f.ready();
    expect(feed.connections[0]!.accept).toBe('text/event-stream');
    expect(feed.connections[0]!.lastEventId).toBe('0');
    expect(f.isRevoked({ jti: 'a' })).toBe(true);
    expect(f.isRevoked({ sub: 'u1', iat: now - 10 })).toBe(true);
    expect(f.isRevoked({ sub: 'u1', iat: now + 10 })).toBe(false);
    expect(f.isRevoked({ jti: 'b', sub: 'u2', iat: now - 10 })).toBe(false);
    expect(f.lastSeq).toBe(2);
    expect(f.connected).toBe(true);
    expect(f.staleness()).toBe(0);

    const revision = f.revision;
    feed.connections[0]!.res.write(event(entry(3, 'key', 'kid-1')));
    await until(() => f.lastSeq === 3);
    expect(f.revision).not.toBe(revision);
    expect(f.isRevoked({ jti: 'c' }, 'kid-1')).toBe(true);
    expect(f.isRevoked({ jti: 'c' }, 'kid-2')).toBe(false);
  });

  it('resumes with Last-Event-ID after a disconnect: nothing repeated, nothing skipped', async () => {
    const feed = await startFeed();
    const all = [entry(1, 'jti', 'a'), entry(2, 'jti', 'b'), entry(3, 'jti', 'c'), entry(4, 'jti', 'd')];
    const seen: number[] = [];
    feed.onConnect(({ res, lastEventId }, index) => {
      const after = Number(lastEventId ?? 0);
      const backlog = all.filter((e) => e.seq > after && e.seq <= 2 + index);
      seen.push(...backlog.map((e) => e.seq));
      openStream(res, backlog.map(event).join('') + ready(backlog.at(-1)?.seq ?? after));
      // The first two connections end right after their backlog, as when the idp restarts.
      if (index < 2) res.end();
    });
    const f = await follow();
    await f.ready();
    await feed.connectionCount(3);
    await until(() => f.lastSeq === 4);
    expect(feed.connections.map((c) => c.lastEventId)).toEqual(['0', '2', '3']);
    expect(seen).toEqual([1, 2, 3, 4]);
    for (const jti of ['a', 'b', 'c', 'd']) expect(f.isRevoked({ jti })).toBe(true);
  });

  it('parses the stream whatever its chunking and line endings (CRLF, CR, LF, a BOM)', async () => {
    const text = `\ufeff: hello\r\n\r\nretry: 5\r${event(entry(1, 'jti', 'x')).replace(/\n/g, '\r\n')}${event(
      entry(2, 'session', 's1'),
    ).replace(/\n/g, '\r')}${ready(2)}`;
    const bytes = new TextEncoder().encode(text);
    const fakeFetch = (async () =>
      new Response(
        new ReadableStream<Uint8Array>({
          start(controller) {
            // One byte per chunk: every CR/LF and every multi-byte character is split.
            for (const byte of bytes) controller.enqueue(new Uint8Array([byte]));
          },
        }),
        { headers: { 'content-type': 'text/event-stream; charset=utf-8' } },
      )) as typeof fetch;
    follower = new RevocationFollower({
      feedUrl: 'http://idp.test/oauth/revocations',
      fetch: fakeFetch,
      clock: () => clock,
    });
    follower.start();
    await follower.ready();
    expect(follower.lastSeq).toBe(2);
    expect(follower.isRevoked({ jti: 'x' })).toBe(true);
    expect(follower.isRevoked({ sid: 's1', iat: now - 1 })).toBe(true);
  });

  it('refuses a malformed entry rather than skipping it, and reads it again after reconnecting', async () => {
    const feed = await startFeed();
    const warnings: { problem?: string }[] = [];
    feed.onConnect(({ res }, index) => {
      const second =
        index === 0
          ? 'id: 2\nevent: revocation\ndata: {"seq":2,"kind":"jti","value":42}\n\n'
          : event(entry(2, 'jti', 'b'));
      openStream(res, `${index === 0 ? event(entry(1, 'jti', 'a')) : ''}${second}${ready(2)}`);
    });
    const f = await follow({ logger: { warn: (details) => warnings.push(details) } });
    await f.ready();
    expect(feed.connections.map((c) => c.lastEventId)).toEqual(['0', '1']);
    expect(f.isRevoked({ jti: 'a' })).toBe(true);
    expect(f.isRevoked({ jti: 'b' })).toBe(true);
    expect(warnings).toEqual([expect.objectContaining({ problem: 'revocation entry is malformed' })]);
  });

  it('refuses an entry whose id does not match its seq', async () => {
    const feed = await startFeed();
    feed.onConnect(({ res }, index) => {
      const body =
        index === 0
          ? `id: 7\nevent: revocation\ndata: ${JSON.stringify(entry(1, 'jti', 'a'))}\n\n`
          : event(entry(1, 'jti', 'a'));
      openStream(res, body + ready(1));
    });
    const f = await follow();
    await f.ready();
    expect(feed.connections.length).toBe(2);
    expect(f.isRevoked({ jti: 'a' })).toBe(true);
  });

  it('retries an error answer or a non-stream answer with capped exponential backoff', async () => {
    fakeTimers();
    const feed = scriptedFetch((attempt) => {
      if (attempt >= 5) return liveStream(ready(0));
      return attempt % 2 === 0 ? new Response('down', { status: 503 }) : Response.json({});
    });
    let backoffs = 0;
    follower = new RevocationFollower({
      feedUrl: 'http://idp.test/oauth/revocations',
      fetch: feed.fetch,
      clock: () => clock,
      reconnectDelay: 20,
      maxReconnectDelay: 80,
      // Drawn once per back-off, just before its timer is set: a delay of 0.75 × its ceiling.
      random: () => {
        backoffs += 1;
        return 0.5;
      },
    });
    follower.start();
    // Ceilings 20, 40, 80, 80, 80: doubled after each failure, then capped.
    for (const [failure, delay] of [15, 30, 60, 60, 60].entries()) {
      await until(() => backoffs === failure + 1);
      await vi.advanceTimersByTimeAsync(delay - 1);
      expect(feed.attempts).toBe(failure + 1);
      await vi.advanceTimersByTimeAsync(1);
      await until(() => feed.attempts === failure + 2);
    }
    await follower.ready();
    expect(follower.connected).toBe(true);
    expect(backoffs).toBe(5);
  });

  it('warns once when the feed becomes unavailable (not once per attempt), and says when it caught up', async () => {
    const feed = await startFeed();
    feed.onConnect(({ res }, index) => {
      if (index < 4) res.writeHead(503).end();
      else openStream(res, ready(0));
    });
    const warned: string[] = [];
    const told: string[] = [];
    const f = await follow({
      logger: {
        warn: (_details, message) => warned.push(message ?? ''),
        info: (_d, m) => told.push(m ?? ''),
      },
    });
    await f.ready();
    expect(feed.connections.length).toBe(5);
    expect(warned).toEqual(['revocation feed unavailable; reconnecting']);
    expect(told).toEqual(['revocation feed caught up']);
  });

  it('reports staleness: 0 while heartbeats arrive, then the age of the last message', async () => {
    const feed = await startFeed();
    feed.onConnect(({ res }) => openStream(res, ready(0)));
    const f = await follow({ heartbeatWindow: 20_000 });
    await f.ready();
    expect(f.staleness()).toBe(0);
    clock += 19_000;
    expect(f.staleness()).toBe(0);
    clock += 2000;
    expect(f.staleness()).toBe(21);
    feed.connections[0]!.res.write(`: ${now + 21}\n\n`);
    await until(() => f.staleness() === 0);
    clock += 25_000;
    expect(f.staleness()).toBeGreaterThanOrEqual(25);
    feed.connections[0]!.res.destroy();
    await until(() => !f.connected);
    expect(f.staleness()).toBeGreaterThanOrEqual(25);
  });

  it('counts the view as stale from its last message once the connection drops', async () => {
    const feed = await startFeed();
    feed.onConnect(({ res }, index) => {
      if (index === 0) openStream(res, ready(0));
      else res.writeHead(503).end();
    });
    const f = await follow();
    await f.ready();
    clock += 3000;
    expect(f.staleness()).toBe(0);
    feed.connections[0]!.res.destroy();
    await until(() => !f.connected);
    expect(f.staleness()).toBe(3);
    clock += 2000;
    expect(f.staleness()).toBe(5);
  });

  it('drops a connection that stays silent past idleTimeout and reconnects', async () => {
    const feed = await startFeed();
    feed.onConnect(({ res }) => openStream(res, ready(0)));
    const f = await follow({ idleTimeout: 100 });
    await f.ready();
    await feed.connectionCount(2);
    expect(feed.connections.length).toBeGreaterThanOrEqual(2);
  });

  it('forgets expired entries when pruning, keeping those still in their margin', async () => {
    const feed = await startFeed();
    feed.onConnect(({ res }) => {
      openStream(
        res,
        event(entry(1, 'jti', 'old', now + 10)) + event(entry(2, 'jti', 'new', now + 600)) + ready(2),
      );
    });
    const f = await follow({ pruneMargin: 60 });
    await f.ready();
    expect(f.size).toBe(2);
    clock += 60_000;
    f.prune();
    expect(f.size).toBe(2);
    clock += 11_000;
    f.prune();
    expect(f.size).toBe(1);
    expect(f.isRevoked({ jti: 'new' })).toBe(true);
    expect(f.lastSeq).toBe(2);
  });

  it('stops for good on close: ready() rejects if it never became ready, no more connections', async () => {
    fakeTimers();
    const feed = scriptedFetch(() => new Response('down', { status: 503 }));
    let backoffs = 0;
    const f = new RevocationFollower({
      feedUrl: 'http://idp.test/oauth/revocations',
      fetch: feed.fetch,
      clock: () => clock,
      random: () => {
        backoffs += 1;
        return 0.5;
      },
    });
    follower = f;
    f.start();
    await until(() => backoffs === 1);
    await f.close();
    await expect(f.ready()).rejects.toThrow(/closed/);
    // Nothing is left scheduled: however far time moves on, it never connects again.
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(feed.attempts).toBe(1);
    expect(f.connected).toBe(false);
  });

  it('names the bad option', () => {
    expect(() => new RevocationFollower({ feedUrl: 'not a url' })).toThrow(/feedUrl/);
    expect(() => new RevocationFollower({ feedUrl: 'ftp://idp/feed' })).toThrow(/feedUrl/);
    expect(() => new RevocationFollower({ feedUrl: 'http://idp/feed', reconnectDelay: -1 })).toThrow(
      /reconnectDelay/,
    );
  });
});
