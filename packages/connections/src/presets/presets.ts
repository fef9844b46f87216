import { apple } from './apple.js';
import { discord } from './discord.js';
import { facebook } from './facebook.js';
import { github } from './github.js';
import { gitlab } from './gitlab.js';
import { google } from './google.js';
import { microsoft } from './microsoft.js';
import type { Preset } from './preset.js';
import { x } from './x.js';

/** The presets, by connection type. */
export const PRESETS: Readonly<Record<string, Preset>> = Object.freeze(
  Object.fromEntries(
    [google, github, facebook, microsoft, apple, x, gitlab, discord].map((p) => [p.type, p]),
  ),
);

/** The preset named `type`, or undefined (`oidc`, `oauth2`, anything unknown). */
export function presetFor(type: string | null): Preset | undefined {
  return type !== null && Object.hasOwn(PRESETS, type) ? PRESETS[type] : undefined;
}
