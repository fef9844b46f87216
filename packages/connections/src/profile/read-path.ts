import type { MappingSource } from './profile-mapping.js';

const PLACEHOLDER = /\{([^{}]+)\}/g;

/**
 * The value at a dot path (`data.id`, `emails.0.address`) of a JSON value, walking own properties
 * only (never `__proto__` or anything inherited); undefined when a step is missing.
 */
export function readPath(value: unknown, path: string): unknown {
  let current = value;
  for (const step of path.split('.')) {
    if (typeof current !== 'object' || current === null || !Object.hasOwn(current, step)) return undefined;
    current = (current as Record<string, unknown>)[step];
  }
  return current;
}

/**
 * A template's text with each `{path}` replaced by the (percent-encoded) text or number at that
 * path; undefined when one of them has none, so a half-filled URL is never made.
 */
export function fillTemplate(value: unknown, template: string): string | undefined {
  let missing = false;
  const filled = template.replace(PLACEHOLDER, (_, path: string) => {
    const part = readPath(value, path);
    if ((typeof part === 'string' && part !== '') || (typeof part === 'number' && Number.isFinite(part))) {
      return encodeURIComponent(String(part));
    }
    missing = true;
    return '';
  });
  return missing ? undefined : filled;
}

/** True when `source` is a template (holds `{…}`) rather than a dot path. */
export function isTemplate(source: string): boolean {
  return source.includes('{');
}

/**
 * What a mapping source gives: the value at its path, or its template filled; for a list, the first
 * of them that gives something other than undefined, null or the empty string.
 */
export function readSource(value: unknown, source: MappingSource): unknown {
  for (const candidate of typeof source === 'string' ? [source] : source) {
    const found = isTemplate(candidate) ? fillTemplate(value, candidate) : readPath(value, candidate);
    if (found !== undefined && found !== null && found !== '') return found;
  }
  return undefined;
}
