import fc from 'fast-check';

/**
 * How hard the fuzz suites push, from the environment:
 * - `FUZZ_RUNS`: runs per property instead of each property's default (go deeper: `FUZZ_RUNS=5000`);
 * - `FUZZ_SEED` (and `FUZZ_PATH`): replay the run a failure printed (`seed: …, path: …`).
 * Unset, every run draws a new random seed, and fast-check prints it with any failure.
 */
export interface FuzzSettings {
  runs?: number;
  seed?: number;
  path?: string;
}

export function readFuzzSettings(env: NodeJS.ProcessEnv = process.env): FuzzSettings {
  const settings: FuzzSettings = {};
  if (env.FUZZ_RUNS) settings.runs = readInteger('FUZZ_RUNS', env.FUZZ_RUNS, 1);
  if (env.FUZZ_SEED) settings.seed = readInteger('FUZZ_SEED', env.FUZZ_SEED, -(2 ** 31));
  if (env.FUZZ_PATH) settings.path = env.FUZZ_PATH;
  return settings;
}

function readInteger(name: string, value: string, min: number): number {
  const number = Number(value);
  if (!Number.isSafeInteger(number) || number < min) {
    throw new TypeError(`${name} must be an integer of at least ${min}, got "${value}"`);
  }
  return number;
}

const settings = readFuzzSettings();
if (settings.seed !== undefined || settings.runs !== undefined) {
  console.log(
    `fuzz: ${settings.runs ?? 'default'} runs per property, seed ${settings.seed ?? 'random'}${settings.path ? `, path ${settings.path}` : ''}`,
  );
}

/**
 * Checks `property` for `defaultRuns` runs (or `FUZZ_RUNS`), on `FUZZ_SEED` when set. A failure
 * is shrunk to a small counterexample and reported with the seed and path that replay it.
 */
export async function checkProperty<T>(property: fc.IAsyncProperty<T>, defaultRuns: number): Promise<void> {
  await fc.assert(property, {
    numRuns: settings.runs ?? defaultRuns,
    ...(settings.seed !== undefined && { seed: settings.seed }),
    ...(settings.path !== undefined && { path: settings.path }),
  });
}
