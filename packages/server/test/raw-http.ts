import { connect } from 'node:net';

/** An HTTP/1.1 response as read off the wire. */
export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** Whether the body is exactly as long as its Content-Length says. */
  complete: boolean;
}

/**
 * Writes `request` (a whole HTTP/1.1 request) to `port` on 127.0.0.1, then half-closes the
 * connection at once (TCP FIN, as `nc -q` and some proxies do) and reads until the server closes
 * its side. Resolves with the response, or `undefined` when the server closed without answering.
 */
export function sendThenHalfClose(port: number, request: string): Promise<RawResponse | undefined> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: '127.0.0.1', allowHalfOpen: true });
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('end', () => socket.end());
    socket.on('close', () => resolve(parseResponse(Buffer.concat(chunks))));
    socket.on('connect', () => socket.end(request));
  });
}

function parseResponse(bytes: Buffer): RawResponse | undefined {
  const text = bytes.toString('latin1');
  const split = text.indexOf('\r\n\r\n');
  if (split < 0) return undefined;
  const [statusLine = '', ...lines] = text.slice(0, split).split('\r\n');
  const status = Number(/^HTTP\/1\.1 (\d{3}) /.exec(statusLine)?.[1]);
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const body = bytes.subarray(Buffer.byteLength(text.slice(0, split + 4), 'latin1'));
  return {
    status,
    headers,
    body: body.toString('utf8'),
    complete: body.byteLength === Number(headers['content-length']),
  };
}

/** A whole HTTP/1.1 POST of a form. */
export function rawFormPost(
  path: string,
  fields: Record<string, string>,
  headers: Record<string, string> = {},
): string {
  const body = new URLSearchParams(fields).toString();
  const lines = [
    `POST ${path} HTTP/1.1`,
    'Host: 127.0.0.1',
    'Content-Type: application/x-www-form-urlencoded',
    `Content-Length: ${Buffer.byteLength(body)}`,
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
  ];
  return `${lines.join('\r\n')}\r\n\r\n${body}`;
}
