import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { LOAD_CORE, SERVER_CORE } from './pinned-node.js';

/** Progress and tables go to stderr; stdout carries only the JSON result. */
export function say(line = ''): void {
  process.stderr.write(`${line}\n`);
}

/** Left-aligned columns, two spaces apart. */
export function formatTable(rows: (string | number)[][]): string {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, String(cell).length);
    });
  }
  return rows.map((row) => row.map((cell, i) => String(cell).padEnd(widths[i] ?? 0)).join('  ')).join('\n');
}

export function round(value: number, digits = 2): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export interface CommonArgs {
  durationSeconds: number;
  warmupSeconds: number;
  profile: boolean;
}

/**
 * Reads `--duration <s>` (default 10, at most 120), `--warmup <s>` (default 3, at most 60),
 * `--profile` and the scenario's own numeric options; `defaults` changes the first two defaults.
 * Throws `TypeError` on anything else.
 */
export function readArgs<K extends string>(
  numeric: Record<K, { default: number; min: number; max: number }>,
  strings: Record<string, string> = {},
  defaults: { durationSeconds?: number; warmupSeconds?: number } = {},
): CommonArgs & Record<K, number> & { strings: Record<string, string> } {
  const spec = Object.fromEntries([
    ...Object.keys(numeric).map((name) => [name, { type: 'string' as const }]),
    ...Object.keys(strings).map((name) => [name, { type: 'string' as const }]),
    ['duration', { type: 'string' as const }],
    ['warmup', { type: 'string' as const }],
    ['profile', { type: 'boolean' as const }],
  ]);
  const values = parseArgs({ options: spec, strict: true }).values as Record<
    string,
    string | boolean | undefined
  >;
  const read = (name: string, fallback: number, min: number, max: number) => {
    const raw = values[name];
    const value = typeof raw === 'string' ? Number(raw) : fallback;
    if (!Number.isFinite(value) || value < min || value > max) {
      throw new TypeError(`--${name} must be a number from ${min} to ${max}`);
    }
    return value;
  };
  const result: Record<string, unknown> = {
    durationSeconds: read('duration', defaults.durationSeconds ?? 10, 1, 120),
    warmupSeconds: read('warmup', defaults.warmupSeconds ?? 3, 0, 60),
    profile: values.profile === true,
    strings: Object.fromEntries(
      Object.entries(strings).map(([name, fallback]) => {
        const raw = values[name];
        return [name, typeof raw === 'string' ? raw : fallback];
      }),
    ),
  };
  for (const [name, range] of Object.entries(numeric) as [
    K,
    { default: number; min: number; max: number },
  ][]) {
    result[name] = read(name, range.default, range.min, range.max);
  }
  return result as CommonArgs & Record<K, number> & { strings: Record<string, string> };
}

/** The machine block of every scenario's JSON: Node, the pinned cores, the load average around the run. */
export function machineReport(loadBefore: number[]): Record<string, unknown> {
  return {
    cpus: cpus().length,
    node: process.version,
    serverCore: SERVER_CORE,
    loadCore: LOAD_CORE,
    loadAverage: { before: loadBefore.map((v) => round(v)), after: loadavg().map((v) => round(v)) },
  };
}
