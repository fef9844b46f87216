import { createServer } from 'node:net';

/** A TCP port of 127.0.0.1 free right now (a process started next can listen on it). */
export async function freePort(): Promise<number> {
  return new Promise((done) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}
