import type { RevocationEntry } from '@warden/protocol';
import { OAuthError } from '@warden/protocol';
import { nowSeconds } from '../config.js';
import type { RevocationFeed } from '../revocation/revocation-feed.js';
import type { ServerContext } from '../server-context.js';

const heartbeatMs = 15_000;

/**
 * `GET /oauth/revocations?after=SEQ`: the revocation feed APIs follow, so a revoked token is
 * refused everywhere without giving up stateless verification. As JSON it answers the entries
 * after `after` (`{ entries, last_seq, now }`); with `Accept: text/event-stream` it streams them
 * as server-sent events (`id` = seq, resumable with `Last-Event-ID`) and pushes new ones as they
 * are written, with a comment line every 15 s to keep the connection open.
 *
 * Entries hold only random identifiers (jti, user id, session id, client id, key id) and times;
 * the feed needs no authentication.
 */
export async function handleRevocationFeed(
  ctx: ServerContext,
  feed: RevocationFeed,
  request: Request,
): Promise<Response> {
  const url = new URL(request.url);
  const after = readSeq(request.headers.get('last-event-id') ?? url.searchParams.get('after') ?? '0');
  if ((request.headers.get('accept') ?? '').includes('text/event-stream'))
    return stream(ctx, feed, after, request);
  const entries = await feed.read(after);
  const last = entries.length > 0 ? entries[entries.length - 1]!.seq : after;
  return Response.json(
    { entries, last_seq: last, now: nowSeconds(ctx.config) },
    { headers: { 'cache-control': 'no-store' } },
  );
}

function readSeq(value: string): number {
  if (!/^\d{1,15}$/.test(value))
    throw new OAuthError('invalid_request', 'after must be a non-negative integer');
  return Number(value);
}

function format(entries: RevocationEntry[]): string {
  return entries
    .map((entry) => `id: ${entry.seq}\nevent: revocation\ndata: ${JSON.stringify(entry)}\n\n`)
    .join('');
}

function stream(ctx: ServerContext, feed: RevocationFeed, after: number, request: Request): Response {
  const encoder = new TextEncoder();
  let cleanup = () => {};
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      let sent = after;
      let reading: Promise<void> | undefined;
      let again = false;
      /** Sends every entry after `sent`, in order; one read at a time, repeated if told meanwhile. */
      const catchUp = async (): Promise<void> => {
        if (reading) {
          again = true;
          return reading;
        }
        reading = (async () => {
          do {
            again = false;
            for (;;) {
              const batch = await feed.read(sent);
              if (batch.length > 0) controller.enqueue(encoder.encode(format(batch)));
              sent = batch.length > 0 ? batch[batch.length - 1]!.seq : sent;
              if (batch.length < 1000) break;
            }
          } while (again);
        })()
          .catch(() => {})
          .finally(() => {
            reading = undefined;
          });
        return reading;
      };
      const unsubscribe = feed.subscribe(() => void catchUp());
      const heartbeat = setInterval(() => {
        controller.enqueue(encoder.encode(`: ${nowSeconds(ctx.config)}\n\n`));
      }, heartbeatMs);
      heartbeat.unref?.();
      cleanup = () => {
        clearInterval(heartbeat);
        unsubscribe();
      };
      request.signal?.addEventListener('abort', () => {
        cleanup();
        try {
          controller.close();
        } catch {
          // already closed
        }
      });
      controller.enqueue(encoder.encode('retry: 1000\n\n'));
      await catchUp();
      controller.enqueue(encoder.encode(`event: ready\ndata: ${JSON.stringify({ last_seq: sent })}\n\n`));
    },
    cancel() {
      cleanup();
    },
  });
  return new Response(body, {
    headers: {
      'content-type': 'text/event-stream',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    },
  });
}
