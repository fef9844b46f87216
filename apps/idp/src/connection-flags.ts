import { readFileSync } from 'node:fs';
import { type AddConnectionInput, AdminError, type UpstreamSettings } from '@warden/server';
import { connectionSettings } from './connection-settings.js';

/** Settings with a text flag of their own, by flag: `--team-id` is the setting `teamId`. */
const textFlags = [
  'authorization-endpoint',
  'token-endpoint',
  'profile-endpoint',
  'emails-endpoint',
  'token-endpoint-auth-method',
  'tenant',
  'team-id',
  'key-id',
] as const;

/** Boolean settings, each with a `--no-` flag to turn it off. */
const booleanFlags = ['userinfo', 'pkce'] as const;

/** The `parseArgs` options of `connections add` and `connections update`. */
export const connectionFlagOptions = {
  'display-name': { type: 'string' },
  issuer: { type: 'string' },
  'client-id': { type: 'string' },
  'client-secret': { type: 'string' },
  'private-key-file': { type: 'string' },
  'trust-email': { type: 'boolean' },
  'no-trust-email': { type: 'boolean' },
  'store-tokens': { type: 'boolean' },
  'no-store-tokens': { type: 'boolean' },
  'enable-for': { type: 'string', multiple: true },
  mapping: { type: 'string', multiple: true },
  setting: { type: 'string', multiple: true },
  ...(Object.fromEntries(textFlags.map((flag) => [flag, { type: 'string' }])) as Record<
    (typeof textFlags)[number],
    { type: 'string' }
  >),
  ...(Object.fromEntries(
    booleanFlags.flatMap((flag) => [
      [flag, { type: 'boolean' }],
      [`no-${flag}`, { type: 'boolean' }],
    ]),
  ) as Record<(typeof booleanFlags)[number] | `no-${(typeof booleanFlags)[number]}`, { type: 'boolean' }>),
} as const;

type FlagValues = {
  [K in keyof typeof connectionFlagOptions]?: (typeof connectionFlagOptions)[K] extends {
    multiple: true;
  }
    ? string[]
    : (typeof connectionFlagOptions)[K] extends { type: 'boolean' }
      ? boolean
      : string;
} & { scope?: string[] };

/** `team-id` → `teamId`. */
function settingName(flag: string): string {
  return flag.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
}

/** `--X` / `--no-X`: true, false, or not given; both is an error. */
function either(values: FlagValues, name: string): boolean | undefined {
  const on = (values as Record<string, unknown>)[name] === true;
  const off = (values as Record<string, unknown>)[`no-${name}`] === true;
  if (on && off) throw new AdminError(`--${name} and --no-${name} contradict each other`);
  return on ? true : off ? false : undefined;
}

/**
 * What the connection flags say, as `Admin.addConnection` and `updateConnection` take it: only what
 * is given, so an update keeps the rest. The connection's method checks the settings; this checks
 * only that none is given twice.
 */
export function connectionChanges(values: FlagValues): Omit<AddConnectionInput, 'name' | 'type'> {
  const other = parseSettingFlags(values.setting ?? []);
  const set = (name: string, value: unknown, flag: string) => {
    if (Object.hasOwn(other, name))
      throw new AdminError(`${flag} and --setting ${name} are the same setting`);
    other[name] = value;
  };
  for (const flag of textFlags) {
    const value = values[flag];
    if (value !== undefined) set(settingName(flag), value, `--${flag}`);
  }
  for (const flag of booleanFlags) {
    const value = either(values, flag);
    if (value !== undefined) set(flag, value, `--${flag}`);
  }
  if (values.mapping !== undefined) set('mapping', parseMappingFlags(values.mapping), '--mapping');
  const settings = connectionSettings(
    { issuer: values.issuer, clientId: values['client-id'], scopes: values.scope },
    other,
  );
  const clientSecret = readClientSecret(values);
  const trustEmail = either(values, 'trust-email');
  const storeTokens = either(values, 'store-tokens');
  return {
    ...(values['display-name'] !== undefined && { displayName: values['display-name'] }),
    ...(clientSecret !== undefined && { clientSecret }),
    ...(trustEmail !== undefined && { trustEmail }),
    ...(storeTokens !== undefined && { storeTokens }),
    ...(Object.keys(settings).length > 0 && { settings }),
  };
}

/**
 * `--client-secret`, or Apple's `.p8` key read from `--private-key-file` (the base64 between its
 * armour lines, which is how the key is stored: sealed, like any client secret).
 */
function readClientSecret(values: FlagValues): string | undefined {
  const file = values['private-key-file'];
  if (file === undefined) return values['client-secret'];
  if (values['client-secret'] !== undefined) {
    throw new AdminError('give --client-secret or --private-key-file, not both');
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new AdminError(
      `--private-key-file: cannot read ${file} (${(error as NodeJS.ErrnoException).code})`,
    );
  }
  const key = /-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\s]+)-----END PRIVATE KEY-----/.exec(text)?.[1];
  if (!key) throw new AdminError(`--private-key-file: ${file} is not a .p8 private key (PEM)`);
  return key.replace(/\s/g, '');
}

/**
 * `--mapping FIELD=PATH`, repeatable: where a profile field is in the upstream's profile (a dot
 * path or a `{path}` template); a field given twice becomes a list (the first found wins), and
 * `FIELD=` with nothing after it means the field is not taken from this upstream.
 */
export function parseMappingFlags(entries: readonly string[]): Record<string, string | string[] | null> {
  const mapping: Record<string, string | string[] | null> = {};
  for (const entry of entries) {
    const at = entry.indexOf('=');
    const field = entry.slice(0, at);
    if (at < 1 || !/^[A-Za-z]+$/.test(field)) throw new AdminError(`--mapping is FIELD=PATH: ${entry}`);
    const source = entry.slice(at + 1);
    const current = mapping[field];
    if (source === '' || current === null) {
      if (current !== undefined) throw new AdminError(`--mapping ${field}: not taken, or taken from a path`);
      mapping[field] = null;
    } else if (current === undefined) mapping[field] = source;
    else mapping[field] = [...(Array.isArray(current) ? current : [current]), source];
  }
  return mapping;
}

/**
 * `--setting KEY=VALUE`, repeatable, for any setting by the name the connection's method reads
 * (`tenant`, `teamId`, `authorizationEndpoint`…): values are text; a dotted key sets a field of an
 * object setting (`--setting mapping.email=mail`); a key given twice is refused.
 */
export function parseSettingFlags(entries: readonly string[]): UpstreamSettings {
  const settings: Record<string, unknown> = {};
  for (const entry of entries) {
    const at = entry.indexOf('=');
    const key = entry.slice(0, at);
    if (at < 1 || !/^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*$/.test(key)) {
      throw new AdminError(`--setting is KEY=VALUE (KEY letters, digits and _, dots for a field): ${entry}`);
    }
    const path = key.split('.');
    if (path.some((part) => part === '__proto__' || part === 'constructor' || part === 'prototype')) {
      throw new AdminError(`--setting ${key}: not a setting name`);
    }
    let target = settings;
    for (const part of path.slice(0, -1)) {
      const next = target[part] ?? {};
      if (typeof next !== 'object' || next === null) {
        throw new AdminError(`--setting ${key}: ${part} is not an object`);
      }
      target[part] = next;
      target = next as Record<string, unknown>;
    }
    const last = path.at(-1) as string;
    if (Object.hasOwn(target, last)) throw new AdminError(`--setting ${key} is given twice`);
    target[last] = entry.slice(at + 1);
  }
  return settings;
}
