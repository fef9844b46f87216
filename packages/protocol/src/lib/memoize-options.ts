/**
 * Wraps `prepare`, which validates an options object and returns a prepared form, so that it runs
 * once per options object instead of once per call: the result is reused while every one of
 * `fields` still holds the value it held when prepared (arrays compared item by item, so an
 * array changed in place is prepared again). What `prepare` throws is thrown on every call, as
 * before. It does NOT look at fields outside `fields`: those must be read per call.
 */
export function memoizeOptions<O extends object, S>(
  fields: readonly (keyof O)[],
  prepare: (options: O) => S,
): (options: O) => S {
  const prepared = new WeakMap<O, { values: unknown[]; settings: S }>();
  return (options) => {
    const entry = prepared.get(options);
    if (entry !== undefined && holdsValues(options, fields, entry.values)) return entry.settings;
    const settings = prepare(options);
    prepared.set(options, { values: fields.map((field) => copyOf(options[field])), settings });
    return settings;
  };
}

function holdsValues<O extends object>(options: O, fields: readonly (keyof O)[], values: unknown[]): boolean {
  for (let i = 0; i < fields.length; i++) {
    const value: unknown = options[fields[i]!];
    const held = values[i];
    if (value === held) continue;
    if (!Array.isArray(value) || !Array.isArray(held) || value.length !== held.length) return false;
    for (let j = 0; j < value.length; j++) if (value[j] !== held[j]) return false;
  }
  return true;
}

function copyOf(value: unknown): unknown {
  return Array.isArray(value) ? [...value] : value;
}
