import { OAuthError } from '@warden/protocol';
import { nodeBodyOf } from './node-body.js';

/** Parameters that RFC 8707 allows to repeat; every other one must appear at most once. */
const repeatable = new Set(['resource']);

export interface ParamsOptions {
  /**
   * Accept repeated parameters for now: the caller reports them later with `checkNotRepeated`
   * (`/authorize` must first know the redirect URI to know where to send the error).
   */
  allowRepeated?: boolean;
}

const repeatedError = (key: string) =>
  new OAuthError('invalid_request', `parameter "${key}" must not be repeated`);

/**
 * Request parameters as RFC 6749 reads them: a parameter sent without a value is treated as
 * omitted, and a parameter sent twice is an `invalid_request` (thrown at once unless
 * `allowRepeated`; then `get` returns the first value until `checkNotRepeated` is called).
 */
export class Params {
  readonly #search: URLSearchParams;
  readonly #repeated = new Set<string>();

  constructor(search: URLSearchParams, options: ParamsOptions = {}) {
    const seen = new Set<string>();
    for (const key of search.keys()) {
      if (seen.has(key) && !repeatable.has(key)) {
        if (!options.allowRepeated) throw repeatedError(key);
        this.#repeated.add(key);
      }
      seen.add(key);
    }
    this.#search = search;
  }

  /** Throws `invalid_request` for the first of `names` (default: any parameter) that was repeated. */
  checkNotRepeated(names?: readonly string[]): void {
    for (const key of this.#repeated) if (!names || names.includes(key)) throw repeatedError(key);
  }

  /** Whether `name` was sent more than once (only possible with `allowRepeated`). */
  isRepeated(name: string): boolean {
    return this.#repeated.has(name);
  }

  /** The value, or undefined when absent or empty. */
  get(name: string): string | undefined {
    const value = this.#search.get(name);
    return value === null || value === '' ? undefined : value;
  }

  /** The value; throws `invalid_request` naming the parameter when it is missing. */
  require(name: string): string {
    const value = this.get(name);
    if (value === undefined) throw new OAuthError('invalid_request', `missing "${name}" parameter`);
    return value;
  }

  getAll(name: string): string[] {
    return this.#search.getAll(name).filter((value) => value !== '');
  }

  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  toObject(): Record<string, string> {
    return Object.fromEntries([...this.#search].filter(([, value]) => value !== ''));
  }
}

/**
 * Reads an `application/x-www-form-urlencoded` body of at most `maxBytes`, refusing other media
 * types (415), oversized bodies (413) and bytes that are not UTF-8 (400) before parsing.
 */
export async function readFormBody(
  request: Request,
  maxBytes: number,
  options: ParamsOptions = {},
): Promise<Params> {
  const type = request.headers.get('content-type')?.split(';', 1)[0]?.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') {
    throw new OAuthError('invalid_request', 'the body must be application/x-www-form-urlencoded', {
      status: 415,
    });
  }
  const bytes = await readBodyBytes(request, maxBytes);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new OAuthError('invalid_request', 'the body is not valid UTF-8');
  }
  return new Params(new URLSearchParams(text), options);
}

/** Reads the query string of a request as parameters. */
export function readQuery(request: Request, options: ParamsOptions = {}): Params {
  return new Params(new URL(request.url).searchParams, options);
}

/**
 * Reads the raw body: at once when its length is declared (and within `maxBytes`), otherwise chunk
 * by chunk, stopping as soon as it exceeds `maxBytes` (413).
 */
export async function readBodyBytes(request: Request, maxBytes: number): Promise<Uint8Array> {
  const tooLarge = () =>
    new OAuthError('invalid_request', `the body is larger than ${maxBytes} bytes`, { status: 413 });
  const declared = request.headers.get('content-length');
  if (declared !== null && Number(declared) > maxBytes) throw tooLarge();
  const node = nodeBodyOf(request);
  if (node) return readChunks(node, maxBytes, tooLarge);
  if (!request.body) return new Uint8Array(0);
  if (declared !== null && /^\d+$/.test(declared)) {
    // HTTP framing holds the body to its declared length, so it can be read in one go.
    try {
      return new Uint8Array(await request.arrayBuffer());
    } catch {
      throw new OAuthError('invalid_request', 'the body could not be read');
    }
  }
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    let result: ReadableStreamReadResult<Uint8Array>;
    try {
      result = await reader.read();
    } catch {
      throw new OAuthError('invalid_request', 'the body could not be read');
    }
    if (result.done) break;
    size += result.value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      throw tooLarge();
    }
    chunks.push(result.value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/** Reads a Node body stream, stopping as soon as it exceeds `maxBytes`. */
async function readChunks(
  source: AsyncIterable<Uint8Array>,
  maxBytes: number,
  tooLarge: () => OAuthError,
): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for await (const chunk of source) {
      size += chunk.byteLength;
      if (size > maxBytes) throw tooLarge();
      chunks.push(chunk);
    }
  } catch (error) {
    if (error instanceof OAuthError) throw error;
    throw new OAuthError('invalid_request', 'the body could not be read');
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
}
