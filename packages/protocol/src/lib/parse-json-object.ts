const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export type JsonObjectResult =
  | { ok: true; value: Record<string, unknown> }
  | { ok: false; reason: 'not UTF-8' | 'not JSON' | 'not a JSON object' | 'duplicate member name' };

/**
 * Parses UTF-8 bytes as one JSON object, refusing what `JSON.parse` lets through silently:
 * invalid UTF-8 (no replacement characters), a byte order mark, and duplicate member names at any
 * depth (RFC 7515 section 5.2 and RFC 8725 ask for rejection; `JSON.parse` keeps the last one).
 */
export function parseJsonObject(bytes: Uint8Array): JsonObjectResult {
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    return { ok: false, reason: 'not UTF-8' };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'not JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, reason: 'not a JSON object' };
  }
  if (countNameQuotes(text) !== countMembers(value) && hasDuplicateMember(text)) {
    return { ok: false, reason: 'duplicate member name' };
  }
  return { ok: true, value: value as Record<string, unknown> };
}

/**
 * True when some object in `text` names a member twice. `text` must already be valid JSON: the
 * scan only tracks nesting and strings. Names are compared after unescaping, so `"a"` and
 * `"\u0061"` are the same name.
 */
export function hasDuplicateMember(text: string): boolean {
  // One entry per open container: a Set of names for an object, null for an array.
  const stack: (Set<string> | null)[] = [];
  let expectName = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      const end = endOfString(text, i);
      const names = stack[stack.length - 1];
      if (names && expectName) {
        const raw = text.slice(i, end + 1);
        const name = raw.includes('\\') ? (JSON.parse(raw) as string) : raw.slice(1, -1);
        if (names.has(name)) return true;
        names.add(name);
        expectName = false;
      }
      i = end;
    } else if (c === 0x7b /* { */) {
      stack.push(new Set());
      expectName = true;
    } else if (c === 0x5b /* [ */) {
      stack.push(null);
      expectName = false;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      stack.pop();
      expectName = false;
    } else if (c === 0x2c /* , */) {
      expectName = stack[stack.length - 1] != null;
    }
  }
  return false;
}

/**
 * How many `"` in `text` are followed (after optional JSON whitespace) by `:`. Every member name
 * ends with such a quote, so this is at least the number of member names in the text; a string
 * value can only add to it. `JSON.parse` keeps one member per distinct name, so when this equals
 * `countMembers` of the parsed value no object names a member twice, and the full scan is skipped.
 */
function countNameQuotes(text: string): number {
  let count = 0;
  for (let i = text.indexOf('"'); i >= 0; i = text.indexOf('"', i + 1)) {
    let j = i + 1;
    let c = text.charCodeAt(j);
    while (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) c = text.charCodeAt(++j);
    if (c === 0x3a /* : */) count++;
  }
  return count;
}

/** The number of members of every object in a parsed JSON value, nested ones included. */
function countMembers(value: unknown): number {
  if (typeof value !== 'object' || value === null) return 0;
  if (Array.isArray(value)) {
    let count = 0;
    for (const item of value) count += countMembers(item);
    return count;
  }
  let count = 0;
  for (const key in value) count += 1 + countMembers((value as Record<string, unknown>)[key]);
  return count;
}

/** Index of the closing quote of the string starting at `start`. */
function endOfString(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5c /* \ */) i++;
    else if (c === 0x22) return i;
  }
  return text.length;
}
