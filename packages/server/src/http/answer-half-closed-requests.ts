/**
 * Lets a Node HTTP server answer a client that half-closes its connection once it has sent its
 * request (a TCP FIN after the body, as some proxies, load testers and `nc` do). By default Node
 * ends the connection as soon as the client's side ends (`httpAllowHalfOpen` is false), so a
 * response that is not ready at that moment — it awaits the database or a signature — is never
 * sent. With this, the server keeps the connection open to write the response, then closes it.
 * Takes a `node:http` or `node:https` server (what `@hono/node-server`'s `serve` and Express's
 * `listen` return) and returns it; an HTTP/2 server has no such setting and is returned as it is.
 * (`httpAllowHalfOpen` is a long-standing Node setting, read in `lib/_http_server.js` when a client
 * ends its side, but missing from Node's type definitions.) It does NOT change keep-alive,
 * timeouts or anything else about the server.
 */
export function answerHalfClosedRequests<T extends object>(server: T): T {
  if ('httpAllowHalfOpen' in server) Object.assign(server, { httpAllowHalfOpen: true });
  return server;
}
