import { hasControlCharacter } from '@warden/protocol';
import { AdminError } from '@warden/server';
import { PROFILE_FIELDS, type ProfileField, type ProfileMapping } from '../profile/profile-mapping.js';
import { upstreamUrlProblem } from './upstream-url.js';

/** Flags the administrator knows a setting by, where they are not its kebab-case name. */
const FLAGS: Readonly<Record<string, string>> = { scopes: '--scope' };

/** The name an administrator knows a setting by: `clientId` is `--client-id`. */
export function flag(name: string): string {
  return FLAGS[name] ?? `--${name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`;
}

/** An `AdminError` naming the setting: `--issuer: must use https`. */
export function settingError(name: string, problem: string): AdminError {
  return new AdminError(`${flag(name)}: ${problem}`);
}

/** Printable text of 1 to `max` characters. */
export function readText(name: string, value: unknown, max = 256): string {
  if (typeof value !== 'string' || value.trim() === '' || value.length > max || hasControlCharacter(value)) {
    throw settingError(name, `must be text of 1 to ${max} printable characters`);
  }
  return value.trim();
}

/** An issuer or endpoint URL (see `upstreamUrlProblem`); an issuer also has no query. */
export function readUrl(
  name: string,
  value: unknown,
  allowInsecureLocalhost: boolean,
  options: { query?: boolean } = {},
): string {
  const problem = upstreamUrlProblem(value, allowInsecureLocalhost);
  if (problem) throw settingError(name, problem);
  if (options.query === false && new URL(value as string).search)
    throw settingError(name, 'must not have a query');
  return value as string;
}

/** `true` / `false`, or the same as text (from a command line). */
export function readBoolean(name: string, value: unknown): boolean {
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw settingError(name, 'must be true or false');
}

const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]{1,128}$/;

/** Scopes as a list or as space-separated text; each an RFC 6749 scope-token; duplicates dropped. */
export function readScopes(name: string, value: unknown): string[] {
  const list = typeof value === 'string' ? value.split(' ').filter((scope) => scope !== '') : value;
  if (!Array.isArray(list) || list.length === 0 || list.length > 50) {
    throw settingError(name, 'must be 1 to 50 scopes');
  }
  for (const scope of list) {
    if (typeof scope !== 'string' || !SCOPE_TOKEN.test(scope)) {
      throw settingError(
        name,
        `${JSON.stringify(scope)} is not a scope (printable characters, no space, " or \\)`,
      );
    }
  }
  return [...new Set(list as string[])];
}

/** One of `allowed`. */
export function readChoice<T extends string>(name: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw settingError(name, `must be one of ${allowed.join(', ')}`);
  }
  return value as T;
}

const PATH = /^[^.{}\s]{1,64}(?:\.[^.{}\s]{1,64}){0,9}$/;

/**
 * A profile mapping: an object whose keys are profile fields, each a dot path, a template of dot
 * paths in braces, a list of those (first found wins), or null (not taken). Checks the syntax only.
 */
export function readMapping(name: string, value: unknown): ProfileMapping {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw settingError(name, `must map profile fields (${PROFILE_FIELDS.join(', ')}) to paths`);
  }
  const mapping: Partial<Record<ProfileField, string | string[] | null>> = {};
  for (const [field, source] of Object.entries(value)) {
    if (!(PROFILE_FIELDS as readonly string[]).includes(field)) {
      throw settingError(name, `${field} is not a profile field (${PROFILE_FIELDS.join(', ')})`);
    }
    const key = field as ProfileField;
    if (source === null) {
      if (key === 'id') throw settingError(`${name}.id`, 'is required: it is what tells accounts apart');
      mapping[key] = null;
    } else if (typeof source === 'string') {
      mapping[key] = readSource(`${name}.${field}`, source, key);
    } else if (Array.isArray(source) && source.length > 0 && source.length <= 5) {
      mapping[key] = source.map((item) => readSource(`${name}.${field}`, item, key));
    } else {
      throw settingError(`${name}.${field}`, 'must be a path, a template, a list of them, or null');
    }
  }
  return mapping;
}

function readSource(name: string, source: unknown, field: ProfileField): string {
  if (typeof source !== 'string') throw settingError(name, 'must be a path or a template');
  if (source.includes('{')) {
    if (field === 'id' || field === 'emailVerified') {
      throw settingError(name, 'must be a path, not a template');
    }
    const placeholders = [...source.matchAll(/\{([^{}]*)\}/g)].map((match) => match[1]!);
    const rest = source.replace(/\{[^{}]*\}/g, '');
    if (
      source.length > 512 ||
      hasControlCharacter(source) ||
      placeholders.length === 0 ||
      rest.includes('{') ||
      rest.includes('}') ||
      !placeholders.every((path) => PATH.test(path))
    ) {
      throw settingError(
        name,
        `${JSON.stringify(source)} is not a template ({path} placeholders, dot paths)`,
      );
    }
    return source;
  }
  if (!PATH.test(source) || hasControlCharacter(source)) {
    throw settingError(name, `${JSON.stringify(source)} is not a dot path (e.g. data.id)`);
  }
  return source;
}
