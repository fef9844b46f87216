import { hasControlCharacter, OAuthError } from '@warden/protocol';
import { nodeBodyOf } from './node-body.js';

/** Parameters that RFC 8707 allows to repeat; every other one must appear at most once. */
const repeatable = new Set(['resource']);

/**
 * Free text: a person's secret, whose characters are theirs to choose (RFC 6749 Appendix A lets
 * a password hold TAB and C1 controls). It is never stored as text, only hashed.
 */
const freeText = new Set(['password']);

const utf8 = new TextDecoder('utf-8', { fatal: true });

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
 * Refuses (`invalid_request`) the text of a parameter that holds a control character (see
 * `hasControlCharacter`: C0 controls including NUL, TAB, CR and LF, DEL, C1 controls) in its name
 * or its value; a free-text value (`password`) is refused only for NUL. Every parameter of every
 * endpoint passes here (`Params`, and the Basic credentials of clients), so no identifier, URI,
 * state or nonce with a control character reaches a lookup, the database or a token. It does NOT
 * judge anything else about the value (length, syntax, meaning): the endpoints do.
 */
export function checkParameterText(name: string, value: string): void {
  if (hasControlCharacter(name)) {
    throw new OAuthError('invalid_request', 'a parameter name holds a control character');
  }
  if (freeText.has(name) ? value.includes('\u0000') : hasControlCharacter(value)) {
    throw new OAuthError('invalid_request', `parameter "${name}" holds a control character`);
  }
}

/**
 * Request parameters as RFC 6749 reads them: a parameter sent without a value is treated as
 * omitted, and a parameter sent twice is an `invalid_request` (thrown at once unless
 * `allowRepeated`; then `get` returns the first value until `checkNotRepeated` is called). Made by
 * `parseParams`, which has checked the text of every parameter.
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
 * Parses `application/x-www-form-urlencoded` text strictly: percent-encoding that is broken (`%G1`,
 * a lone `%`) or does not decode to UTF-8 (`%FF`, overlong forms, surrogates) is an
 * `invalid_request`, where URLSearchParams would keep it as text or make it U+FFFD; so is a
 * parameter holding a control character (`checkParameterText`).
 */
export function parseParams(text: string, options: ParamsOptions = {}): Params {
  // Separators are never encoded, so one decoding of the whole text checks every name and value,
  // and one scan of the decoded text tells whether any of them holds a control character; only
  // then is each parameter looked at (a password may hold some). Text without `%` is its own
  // decoding.
  let decoded = text;
  if (text.includes('%')) {
    try {
      decoded = decodeURIComponent(text);
    } catch {
      throw new OAuthError('invalid_request', 'a parameter has broken percent-encoding or is not UTF-8');
    }
  }
  const search = new URLSearchParams(text);
  if (hasControlCharacter(decoded)) for (const [name, value] of search) checkParameterText(name, value);
  return new Params(search, options);
}

/**
 * Reads an `application/x-www-form-urlencoded` body of at most `maxBytes`, refusing other media
 * types (415), oversized bodies (413) and bytes that are not UTF-8 (400) before parsing, then
 * parses it with `parseParams`.
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
    text = utf8.decode(bytes);
  } catch {
    throw new OAuthError('invalid_request', 'the body is not valid UTF-8');
  }
  return parseParams(text, options);
}

/** Reads the query string of a request as parameters, with `parseParams`. */
export function readQuery(request: Request, options: ParamsOptions = {}): Params {
  return parseParams(new URL(request.url).search.slice(1), options);
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
