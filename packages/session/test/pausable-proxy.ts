import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy in front of a real server (Redis, PostgreSQL) that a test can make slow or down:
 * `pause()` holds every byte in both directions (the server seems to hang; new connections are
 * accepted and hang too), `resume()` delivers what was held and forwards again; `stop()` closes
 * the port and drops every connection (the server seems down), `start()` opens the same port again.
 */
export interface PausableProxy {
  readonly port: number;
  pause(): void;
  resume(): void;
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

export async function startPausableProxy(target: { host: string; port: number }): Promise<PausableProxy> {
  const sockets = new Set<Socket>();
  const held: Array<() => void> = [];
  let paused = false;
  let server: Server | undefined;
  let port = 0;

  function forward(from: Socket, to: Socket): void {
    from.on('data', (chunk: Buffer) => {
      if (paused) held.push(() => to.write(chunk));
      else to.write(chunk);
    });
    from.on('end', () => {
      if (paused) held.push(() => to.end());
      else to.end();
    });
    from.on('close', () => to.destroy());
    from.on('error', () => to.destroy());
  }

  function onConnection(client: Socket): void {
    const upstream = connect(target.port, target.host);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    }
    forward(client, upstream);
    forward(upstream, client);
  }

  async function start(): Promise<void> {
    const next = createServer(onConnection);
    await new Promise<void>((resolve, reject) => {
      next.once('error', reject);
      next.listen(port, '127.0.0.1', () => resolve());
    });
    server = next;
    const address = next.address();
    if (address === null || typeof address === 'string') throw new Error('proxy: no TCP address');
    port = address.port;
  }

  async function stop(): Promise<void> {
    const current = server;
    server = undefined;
    held.length = 0;
    for (const socket of sockets) socket.destroy();
    if (current) await new Promise<void>((resolve) => current.close(() => resolve()));
  }

  await start();
  return {
    get port() {
      return port;
    },
    pause() {
      paused = true;
    },
    resume() {
      paused = false;
      for (const deliver of held.splice(0)) deliver();
    },
    stop,
    start,
    async close() {
      paused = false;
      await stop();
    },
  };
}

/** A server that accepts connections and never answers (a hung database). */
export async function startBlackHole(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as { port: number };
  return {
    port,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A port on which nothing listens (connections are refused). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Calls `attempt` until it resolves, for at most `withinMs`; returns its value or throws its last error. */
export async function eventually<T>(attempt: () => Promise<T>, withinMs = 10_000): Promise<T> {
  const giveUpAt = Date.now() + withinMs;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (Date.now() > giveUpAt) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/**
 * How `promise` settled: its value or its error. Rejects when it is still pending after
 * `hangAfterMs`: a watchdog for calls that must fail instead of hanging, set far above the deadline
 * under test so a loaded machine never trips it; it measures nothing.
 */
export async function settled<T>(
  promise: Promise<T>,
  hangAfterMs: number,
): Promise<{ value?: T; error?: unknown }> {
  let watchdog: ReturnType<typeof setTimeout> | undefined;
  const hung = new Promise<never>((_, reject) => {
    watchdog = setTimeout(
      () => reject(new Error(`still pending after ${hangAfterMs} ms: the call hangs instead of failing`)),
      hangAfterMs,
    );
  });
  try {
    return await Promise.race([
      promise.then(
        (value) => ({ value }),
        (error: unknown) => ({ error }),
      ),
      hung,
    ]);
  } finally {
    clearTimeout(watchdog);
  }
}
