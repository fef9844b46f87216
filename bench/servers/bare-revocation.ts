/**
 * The floor of revocation propagation on this machine: the chain Warden's takes (a revocation sent
 * to an issuer over HTTP, one server-sent event to each API following it, the API's next answer),
 * with nothing in it but `node:http`. No storage, no token check, no verifier.
 *
 * - `BENCH_ROLE=feed`: `POST /revoke` (form body `token=…`) writes `event: revocation` with that
 *   token to every open `GET /feed` stream at once, then answers 200. `GET /feed` answers
 *   `text/event-stream`: `event: ready`, then whatever is revoked from then on.
 * - `BENCH_ROLE=api`: follows `BENCH_FEED_URL` and answers `GET /api/dragons` with 401 for a bearer
 *   token the feed has revoked, and with the six dragons otherwise. Ready once the feed said ready.
 *
 * Environment: PORT (required), BENCH_ROLE (feed | api), BENCH_FEED_URL (api: the feed's
 * `http://127.0.0.1:<port>/feed`). Listens on 127.0.0.1 and prints one ready line.
 */
import { createServer, get, type IncomingMessage, type ServerResponse } from 'node:http';
import { dragons } from '../../apps/dragons-api/src/dragons.js';
import { exitOnSignal, printReadyLine } from '../lib/server-process.js';

const dragonsJson = JSON.stringify(dragons);

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8').on('data', (chunk: string) => {
      body += chunk;
    });
    req.on('end', () => resolve(body)).on('error', reject);
  });
}

/** The feed: pushes each revocation to every follower as it is posted. */
function startFeed(port: number): void {
  const followers = new Set<ServerResponse>();
  let seq = 0;
  const server = createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/feed') {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
      res.write('event: ready\ndata: {}\n\n');
      followers.add(res);
      res.on('close', () => followers.delete(res));
      return;
    }
    if (req.method === 'POST' && req.url === '/revoke') {
      void readBody(req).then((body) => {
        const token = new URLSearchParams(body).get('token');
        if (!token) {
          res.writeHead(400).end();
          return;
        }
        seq += 1;
        const event = `id: ${seq}\nevent: revocation\ndata: ${JSON.stringify({ value: token })}\n\n`;
        for (const follower of followers) follower.write(event);
        res.writeHead(200, { 'cache-control': 'no-store' }).end();
      });
      return;
    }
    res.writeHead(404).end();
  });
  server.listen(port, '127.0.0.1', () => printReadyLine({ server: 'bare-feed' }));
  exitOnSignal(server);
}

/** An API that refuses what the feed revoked; ready once the feed's stream is open. */
function startApi(port: number, feedUrl: string): void {
  if (!feedUrl.startsWith('http://127.0.0.1:')) throw new TypeError('BENCH_FEED_URL must be on 127.0.0.1');
  const revoked = new Set<string>();
  const server = createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/api/dragons') {
      const authorization = req.headers.authorization ?? '';
      const token = authorization.startsWith('Bearer ') ? authorization.slice(7) : '';
      if (token === '' || revoked.has(token)) {
        res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"invalid_token"}');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(dragonsJson);
      return;
    }
    res.writeHead(404).end();
  });
  let buffer = '';
  let ready = false;
  get(feedUrl, (stream) => {
    stream.setEncoding('utf8').on('data', (chunk: string) => {
      buffer += chunk;
      for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (block.includes('event: revocation')) {
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (data) revoked.add((JSON.parse(data) as { value: string }).value);
        } else if (!ready && block.includes('event: ready')) {
          ready = true;
          server.listen(port, '127.0.0.1', () => printReadyLine({ server: 'bare-api' }));
        }
      }
    });
    stream.on('end', () => {
      console.error('the feed closed');
      process.exit(1);
    });
  }).on('error', (error) => {
    console.error(error);
    process.exit(1);
  });
  exitOnSignal(server);
}

const port = Number(process.env.PORT);
if (!Number.isInteger(port) || port <= 0) throw new TypeError('PORT is required');
if (process.env.BENCH_ROLE === 'feed') startFeed(port);
else if (process.env.BENCH_ROLE === 'api') startApi(port, process.env.BENCH_FEED_URL ?? '');
else throw new TypeError('BENCH_ROLE must be feed or api');
