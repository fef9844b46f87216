import { createServer } from 'node:http';
import { fanSite } from './system.js';

/**
 * The third-party fan site's callback page, served on its registered origin for the consent test
 * (the browser must really land there: the idp answers with a redirect to it).
 */
export async function startFanSite(): Promise<{ close(): Promise<void> }> {
  const { hostname, port } = new URL(fanSite.origin);
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end(`<!doctype html><title>${fanSite.name}</title><h1>${fanSite.name}</h1>`);
  });
  await new Promise<void>((ready, fail) => {
    server.once('error', fail);
    server.listen(Number(port), hostname, ready);
  });
  return { close: () => new Promise((done) => server.close(() => done())) };
}
