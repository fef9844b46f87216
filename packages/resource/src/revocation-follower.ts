import {
  type RevocableClaims,
  type RevocationEntry,
  type RevocationKind,
  RevocationSet,
} from '@warden/protocol';

/** Where the follower reports trouble (a pino logger fits). */
export interface RevocationFollowerLogger {
  warn(object: object, message?: string): void;
  info?(object: object, message?: string): void;
}

/** Options of {@link RevocationFollower}; only `feedUrl` is required. */
export interface RevocationFollowerOptions {
  /** The idp's feed, e.g. `http://localhost:3000/oauth/revocations`. */
  feedUrl: string;
  fetch?: typeof fetch;
  /** Milliseconds since the epoch (default `Date.now`); used for staleness and pruning. */
  clock?: () => number;
  logger?: RevocationFollowerLogger;
  /**
   * First reconnection delay in ms (default: the feed's `retry` field, else 1000); doubles after
   * each failed attempt up to `maxReconnectDelay`, with jitter.
   */
  reconnectDelay?: number;
  /** Cap on the reconnection delay in ms (default 30 000). */
  maxReconnectDelay?: number;
  /** Without a single byte from the feed for this long (ms), the connection is dropped and redone (default 40 000: the idp sends a heartbeat every 15 s). */
  idleTimeout?: number;
  /** While connected, a last message younger than this (ms) means the view is current (default 20 000). */
  heartbeatWindow?: number;
  /** How often expired entries are forgotten, in ms (default 60 000). */
  pruneInterval?: number;
  /** Entries are kept this many seconds past their expiry, covering clock skew and verifier tolerance (default 60). */
  pruneMargin?: number;
  /** Random number in [0, 1) for the jitter (default `Math.random`). */
  random?: () => number;
  /**
   * Called for each signing key the feed revokes. The verifier uses it to fetch the issuer's new
   * keys at once instead of waiting for its refetch cooldown.
   */
  onKeyRevoked?: (kid: string) => void;
}

const kinds: ReadonlySet<RevocationKind> = new Set(['jti', 'user', 'session', 'client', 'key', 'all']);
/** A line longer than this is refused: one entry is a few hundred bytes. */
const maxLineLength = 64 * 1024;

/** The feed sent something this follower will not apply; the connection is redone. */
class FeedProtocolError extends Error {}

/**
 * Follows the idp's revocation feed (`GET {issuer}oauth/revocations` as server-sent events) and
 * keeps a {@link RevocationSet} current, so every request is checked against revocations in O(1)
 * without a call to the idp.
 *
 * It resumes with `Last-Event-ID` after any disconnect (no entry applied twice, none skipped),
 * reconnects with capped exponential backoff and jitter, drops a connection that stays silent past
 * `idleTimeout`, and forgets expired entries periodically so memory stays bounded.
 *
 * It does NOT verify tokens (call {@link isRevoked} after the signature and claim checks) and does
 * NOT decide what to do when its view is old: {@link staleness} says how old, the caller decides.
 */
export class RevocationFollower {
  readonly #feedUrl: string;
  readonly #fetch: typeof fetch;
  readonly #clock: () => number;
  readonly #logger: RevocationFollowerLogger | undefined;
  readonly #maxDelay: number;
  readonly #idleTimeout: number;
  readonly #heartbeatWindow: number;
  readonly #pruneInterval: number;
  readonly #pruneMargin: number;
  readonly #random: () => number;
  readonly #onKeyRevoked: ((kid: string) => void) | undefined;
  #baseDelay: number;
  readonly #baseDelayFixed: boolean;

  #set = new RevocationSet();
  #started = false;
  #closed = false;
  #connected = false;
  /** Whether the current connection has sent its backlog (`event: ready`). */
  #synced = false;
  /** When the view was last known current (ms), or undefined before the first `ready`. */
  #currentAt: number | undefined;
  #failures = 0;
  #lastWarning = Number.NEGATIVE_INFINITY;
  #abort: AbortController | undefined;
  #wake: (() => void) | undefined;
  #pruneTimer: ReturnType<typeof setInterval> | undefined;
  #running: Promise<void> | undefined;
  readonly #ready: Promise<void>;
  #resolveReady!: () => void;
  #rejectReady!: (error: Error) => void;

  constructor(options: RevocationFollowerOptions) {
    this.#feedUrl = checkFeedUrl(options?.feedUrl);
    this.#fetch = options.fetch ?? globalThis.fetch;
    // The real clock only when the owner gives none (the verifier always passes its own).
    this.#clock = options.clock ?? Date.now;
    this.#logger = options.logger;
    this.#baseDelayFixed = options.reconnectDelay !== undefined;
    this.#baseDelay = checkDuration(options.reconnectDelay, 1000, 'reconnectDelay');
    this.#maxDelay = checkDuration(options.maxReconnectDelay, 30_000, 'maxReconnectDelay');
    this.#idleTimeout = checkDuration(options.idleTimeout, 40_000, 'idleTimeout');
    this.#heartbeatWindow = checkDuration(options.heartbeatWindow, 20_000, 'heartbeatWindow');
    this.#pruneInterval = checkDuration(options.pruneInterval, 60_000, 'pruneInterval');
    this.#pruneMargin = checkDuration(options.pruneMargin, 60, 'pruneMargin');
    this.#random = options.random ?? Math.random;
    this.#onKeyRevoked = options.onKeyRevoked;
    if (typeof this.#fetch !== 'function') throw new TypeError('fetch must be a function');
    this.#ready = new Promise<void>((resolve, reject) => {
      this.#resolveReady = resolve;
      this.#rejectReady = reject;
    });
    this.#ready.catch(() => {});
  }

  /** Connects and keeps following until {@link close}; calling it again does nothing. */
  start(): void {
    if (this.#started || this.#closed) return;
    this.#started = true;
    // How often to prune is a housekeeping cadence on real time; what is pruned is decided by the
    // clock (`prune`), so a fake clock still controls which entries go.
    this.#pruneTimer = setInterval(() => this.prune(), this.#pruneInterval);
    this.#pruneTimer.unref?.();
    this.#running = this.#follow();
  }

  /** Resolves once the first backlog has been applied; rejects if the follower is closed first. */
  ready(): Promise<void> {
    return this.#ready;
  }

  /** Whether a token with these claims, signed by `kid`, is revoked, as far as the feed has said. */
  isRevoked(claims: RevocableClaims, kid?: string): boolean {
    return this.#set.isRevoked(claims, kid);
  }

  /**
   * Seconds since the view was last known current: 0 while connected with a message (event or
   * heartbeat) inside the heartbeat window, otherwise the age of the last message received after
   * a backlog; `null` before the first backlog was applied.
   */
  staleness(): number | null {
    if (this.#currentAt === undefined) return null;
    const age = Math.max(0, this.#clock() - this.#currentAt);
    if (this.#connected && this.#synced && age <= this.#heartbeatWindow) return 0;
    return age / 1000;
  }

  /** The sequence number of the newest entry applied (0 before any). */
  get lastSeq(): number {
    return this.#set.lastSeq;
  }

  /**
   * Changes whenever an entry is applied, the only way a token's answer can turn to "revoked"
   * (pruning only forgets entries that no valid token can match): the sequence number itself.
   */
  get revision(): number {
    return this.#set.lastSeq;
  }

  /** Whether a feed connection is open right now. */
  get connected(): boolean {
    return this.#connected;
  }

  /** How many entries are held. */
  get size(): number {
    return this.#set.size;
  }

  /** Forgets entries that expired more than `pruneMargin` seconds ago (also runs periodically). */
  prune(): void {
    this.#set.prune(Math.floor(this.#clock() / 1000) - this.#pruneMargin);
  }

  /** Stops following: closes the connection and timers. The view stays readable. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#pruneTimer);
    this.#abort?.abort();
    this.#wake?.();
    this.#rejectReady(new Error('revocation follower closed before the feed was read'));
    await this.#running;
    this.#connected = false;
  }

  async #follow(): Promise<void> {
    while (!this.#closed) {
      let problem: string;
      try {
        await this.#connect();
        problem = 'the feed closed the connection';
      } catch (error) {
        problem = describeError(error);
      }
      this.#connected = false;
      this.#synced = false;
      if (this.#closed) break;
      this.#reportFailure(problem);
      await this.#sleep(this.#nextDelay());
    }
  }

  /** Warns on the first failure after a good connection, then at most once a minute while it lasts. */
  #reportFailure(problem: string): void {
    const now = this.#clock();
    if (this.#failures > 0 && now - this.#lastWarning < 60_000) return;
    this.#lastWarning = now;
    this.#logger?.warn(
      { feedUrl: this.#feedUrl, problem, attempts: this.#failures + 1, staleness: this.staleness() },
      'revocation feed unavailable; reconnecting',
    );
  }

  /** One connection: request from `lastSeq`, read events until the stream ends or fails. */
  async #connect(): Promise<void> {
    const abort = new AbortController();
    this.#abort = abort;
    // A network timeout, so real time: a silent connection is dropped after idleTimeout of it,
    // whatever the clock says.
    let idle: ReturnType<typeof setTimeout> | undefined;
    const resetIdle = () => {
      clearTimeout(idle);
      idle = setTimeout(() => abort.abort(new Error('revocation feed silent too long')), this.#idleTimeout);
      idle.unref?.();
    };
    resetIdle();
    try {
      const response = await this.#fetch(this.#feedUrl, {
        headers: { accept: 'text/event-stream', 'last-event-id': String(this.#set.lastSeq) },
        signal: abort.signal,
        cache: 'no-store',
      });
      checkResponse(response);
      this.#connected = true;
      const parser = new EventStreamParser((event) => this.#dispatch(event));
      const reader = response.body!.getReader();
      // Cancelling the reader ends a pending read even when `fetch` ignores the signal.
      const stop = () => void reader.cancel().catch(() => {});
      abort.signal.addEventListener('abort', stop, { once: true });
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done || abort.signal.aborted) break;
          resetIdle();
          parser.push(value);
        }
      } finally {
        abort.signal.removeEventListener('abort', stop);
        await reader.cancel().catch(() => {});
      }
      if (abort.signal.aborted && !this.#closed) throw abort.signal.reason;
    } finally {
      clearTimeout(idle);
      abort.abort();
    }
  }

  #dispatch(event: ServerSentEvent): void {
    if (event.kind === 'retry') {
      if (!this.#baseDelayFixed) this.#baseDelay = Math.min(Number(event.data), this.#maxDelay);
      return;
    }
    if (event.kind === 'comment') {
      if (this.#synced) this.#currentAt = this.#clock();
      return;
    }
    switch (event.type) {
      case 'revocation': {
        const entry = parseEntry(event.data, event.id);
        this.#set.apply([entry]);
        if (this.#synced) this.#currentAt = this.#clock();
        if (entry.kind === 'key') this.#onKeyRevoked?.(entry.value);
        return;
      }
      case 'ready':
        if (this.#failures > 0)
          this.#logger?.info?.(
            { feedUrl: this.#feedUrl, lastSeq: this.lastSeq },
            'revocation feed caught up',
          );
        this.#synced = true;
        this.#failures = 0;
        this.#currentAt = this.#clock();
        this.prune();
        this.#resolveReady();
        return;
      default:
      // Other events are for other readers.
    }
  }

  /** Capped exponential backoff with jitter: a random delay in [d/2, d), d = base·2^failures. */
  #nextDelay(): number {
    const ceiling = Math.min(this.#maxDelay, this.#baseDelay * 2 ** Math.min(this.#failures, 30));
    this.#failures += 1;
    return ceiling / 2 + (ceiling / 2) * this.#random();
  }

  /** Waits `ms` of real time (a reconnection back-off is about the network, not the clock); `close` ends it early. */
  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.#wake = done;
    });
  }
}

/** A short reason for logs: the message, and the network error's code when fetch wraps one. */
function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error.cause as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? `${error.message} (${code})` : error.message;
}

function checkFeedUrl(value: unknown): string {
  if (typeof value !== 'string') throw new TypeError('feedUrl must be a URL string');
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new TypeError('feedUrl must be an absolute URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new TypeError('feedUrl must be an http(s) URL');
  return url.href;
}

function checkDuration(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
    throw new TypeError(`${name} must be a non-negative number`);
  return value;
}

function checkResponse(response: Response): void {
  if (!response.ok) throw new FeedProtocolError(`revocation feed answered ${response.status}`);
  const type = response.headers.get('content-type') ?? '';
  if (!/^text\/event-stream\s*(;|$)/i.test(type))
    throw new FeedProtocolError(`revocation feed answered ${type || 'no content type'}`);
  if (!response.body) throw new FeedProtocolError('revocation feed answered without a body');
}

/** Reads one `event: revocation` data line as an entry; anything malformed is refused, never skipped. */
function parseEntry(data: string, id: string | undefined): RevocationEntry {
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    throw new FeedProtocolError('revocation entry is not JSON');
  }
  const entry = value as Partial<RevocationEntry> | null;
  if (
    typeof entry !== 'object' ||
    entry === null ||
    !Number.isSafeInteger(entry.seq) ||
    (entry.seq as number) < 1 ||
    !kinds.has(entry.kind as RevocationKind) ||
    typeof entry.value !== 'string' ||
    typeof entry.notBefore !== 'number' ||
    !Number.isFinite(entry.notBefore) ||
    typeof entry.expiresAt !== 'number' ||
    !Number.isFinite(entry.expiresAt)
  )
    throw new FeedProtocolError('revocation entry is malformed');
  if (id !== undefined && id !== String(entry.seq))
    throw new FeedProtocolError('revocation entry id does not match its seq');
  return {
    seq: entry.seq as number,
    kind: entry.kind as RevocationKind,
    value: entry.value,
    notBefore: entry.notBefore,
    expiresAt: entry.expiresAt,
  };
}

interface ServerSentEvent {
  /**
   * `event` for a dispatched event; `comment` for a comment line and `retry` for a valid `retry`
   * field (data: the delay in ms), both reported as soon as their line is read.
   */
  kind: 'event' | 'comment' | 'retry';
  /** The `event` field, `message` when absent. */
  type: string;
  data: string;
  /** This event's own `id` field, if it had one. */
  id: string | undefined;
}

/**
 * The `text/event-stream` format (HTML Living Standard §9.2.6): lines end in CRLF, LF or CR;
 * `field: value`; a blank line dispatches; `:` starts a comment. Comments are reported as their own
 * event (they are the feed's heartbeats). A line longer than 64 KiB is refused.
 */
class EventStreamParser {
  readonly #decoder = new TextDecoder('utf-8');
  readonly #onEvent: (event: ServerSentEvent) => void;
  #buffer = '';
  #firstChunk = true;
  #type = '';
  #data: string[] = [];
  #id: string | undefined;

  constructor(onEvent: (event: ServerSentEvent) => void) {
    this.#onEvent = onEvent;
  }

  push(chunk: Uint8Array): void {
    let text = this.#decoder.decode(chunk, { stream: true });
    if (this.#firstChunk && text.length > 0) {
      this.#firstChunk = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    this.#buffer += text;
    let start = 0;
    const terminators = /[\r\n]/g;
    for (;;) {
      terminators.lastIndex = start;
      const found = terminators.exec(this.#buffer);
      if (!found) break;
      const end = found.index;
      // A CR at the very end may be the first half of a CRLF: wait for the next chunk.
      if (this.#buffer[end] === '\r' && end === this.#buffer.length - 1) break;
      const line = this.#buffer.slice(start, end);
      start = this.#buffer[end] === '\r' && this.#buffer[end + 1] === '\n' ? end + 2 : end + 1;
      this.#line(line);
    }
    this.#buffer = this.#buffer.slice(start);
    if (this.#buffer.length > maxLineLength) throw new FeedProtocolError('revocation feed line too long');
  }

  #line(line: string): void {
    if (line.length > maxLineLength) throw new FeedProtocolError('revocation feed line too long');
    if (line === '') {
      this.#dispatch();
      return;
    }
    if (line.startsWith(':')) {
      this.#onEvent({ kind: 'comment', type: '', data: line.slice(1).trim(), id: undefined });
      return;
    }
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'event':
        this.#type = value;
        break;
      case 'data':
        this.#data.push(value);
        break;
      case 'id':
        if (!value.includes('\0')) this.#id = value;
        break;
      case 'retry':
        if (/^\d{1,9}$/.test(value)) this.#onEvent({ kind: 'retry', type: '', data: value, id: undefined });
        break;
      default:
      // Unknown fields are ignored, as the format requires.
    }
  }

  /** A blank line: the event collected so far is dispatched, unless it had no data (as the format says). */
  #dispatch(): void {
    const event: ServerSentEvent = {
      kind: 'event',
      type: this.#type || 'message',
      data: this.#data.join('\n'),
      id: this.#id,
    };
    const empty = this.#data.length === 0;
    this.#type = '';
    this.#data = [];
    this.#id = undefined;
    if (!empty) this.#onEvent(event);
  }
}
