import { createServer } from 'node:http';

export interface OtherSite {
  readonly origin: string;
  close(): Promise<void>;
}

/**
 * Serves one HTML page at every path of `origin` (http, a host name and a port) while a test runs:
 * a site that is not the Dragons app, for the browser to really land on (the consent test's
 * third-party callback) or to send requests from (the cross-site tests).
 */
export async function startOtherSite(origin: string, title: string): Promise<OtherSite> {
  const { hostname, port } = new URL(origin);
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    response.end(`<!doctype html><title>${title}</title><h1>${title}</h1>`);
  });
  await new Promise<void>((ready, fail) => {
    server.once('error', fail);
    server.listen(Number(port), hostname, ready);
  });
  return { origin, close: () => new Promise((done) => server.close(() => done())) };
}
