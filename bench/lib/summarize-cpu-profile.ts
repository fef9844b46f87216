import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileEntry {
  name: string;
  ms: number;
  /** Share of the busy (non-idle) time in the window. */
  percent: number;
}

export interface ProfileSummary {
  file: string;
  /** Milliseconds of the profile skipped before the window (start-up). */
  skippedMs: number;
  /** Busy (non-idle) milliseconds in the window. */
  busyMs: number;
  idleMs: number;
  /** Self time per function, highest first. */
  topFunctions: ProfileEntry[];
  /** Self time per package or source folder (e.g. `node_modules/jose`, `packages/server`, `(program)`). */
  byOrigin: ProfileEntry[];
  /**
   * Time with the function on the stack (itself and its synchronous callees) for functions of the
   * workspaces (`packages/`, `apps/`): where a request's synchronous work starts. Time after an
   * `await` is counted under whatever resumed it, not here.
   */
  inclusiveWorkspace: ProfileEntry[];
}

const sourceMaps = new Map<string, SourceMap | undefined>();

function sourceMapOf(url: string): SourceMap | undefined {
  if (sourceMaps.has(url)) return sourceMaps.get(url);
  let map: SourceMap | undefined;
  if (url.startsWith('file://')) {
    const file = `${fileURLToPath(url)}.map`;
    if (existsSync(file)) map = new SourceMap(JSON.parse(readFileSync(file, 'utf8')));
  }
  sourceMaps.set(url, map);
  return map;
}

/**
 * The frame as the source it was bundled from, when its script has a source map beside it (the
 * bench bundles in `bench/.build/`), so time is counted under `packages/…` and not the bundle.
 */
function originalFrame(frame: CallFrame): CallFrame {
  const map = sourceMapOf(frame.url);
  if (!map) return frame;
  const entry = map.findEntry(frame.lineNumber, frame.columnNumber);
  if (!('originalSource' in entry)) return frame;
  const source = resolve(dirname(fileURLToPath(frame.url)), entry.originalSource);
  return {
    functionName: frame.functionName,
    url: pathToFileURL(source).href,
    lineNumber: entry.originalLine,
    columnNumber: entry.originalColumn,
  };
}

/** Where a script lives, coarse enough to add up: an npm package, a workspace, or node's internals. */
function originOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (modules?.[1]) return `node_modules/${modules[1]}`;
  const workspace = /\/((?:packages|apps)\/[^/]+|bench)\//.exec(url);
  if (workspace?.[1]) return workspace[1];
  if (url.startsWith('node:')) return 'node:internal';
  return url;
}

function frameName(frame: CallFrame): string {
  const where = frame.url
    ? ` ${frame.url.replace(/^.*\/(node_modules|packages|apps|bench)\//, '$1/')}:${frame.lineNumber + 1}`
    : '';
  return `${frame.functionName || '(anonymous)'}${where}`;
}

function top(map: Map<string, number>, busyUs: number, count: number): ProfileEntry[] {
  return [...map]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, us]) => ({
      name,
      ms: Math.round(us / 1000),
      percent: Math.round((us / busyUs) * 1000) / 10,
    }));
}

function add(map: Map<string, number>, key: string, us: number): void {
  map.set(key, (map.get(key) ?? 0) + us);
}

/**
 * Adds up a V8 `.cpuprofile` (as `node --cpu-prof` writes it): self time per function and per
 * origin, and inclusive time of the workspaces' functions, over the samples taken after the first
 * `skipMs` milliseconds (so start-up does not count). Percentages are of the busy time: the
 * `(idle)` samples are left out. Frames of a bundle with a `.map` beside it are counted under the
 * source they came from (read when summarizing: the bundle must not have been rebuilt from other
 * sources in between).
 */
export function summarizeCpuProfile(file: string, options: { skipMs?: number; count?: number } = {}) {
  const { skipMs = 0, count = 25 } = options;
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  for (const node of profile.nodes) node.callFrame = originalFrame(node.callFrame);
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const functions = new Map<string, number>();
  const origins = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let elapsedUs = 0;
  let busyUs = 0;
  let idleUs = 0;
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i] ?? 0;
    elapsedUs += us;
    const frame = byId.get(id)?.callFrame;
    if (elapsedUs < skipMs * 1000 || !frame) return;
    if (frame.functionName === '(idle)') {
      idleUs += us;
      return;
    }
    busyUs += us;
    add(functions, frameName(frame), us);
    add(origins, originOf(frame.url, frame.functionName), us);
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const callFrame = byId.get(at)?.callFrame;
      if (!callFrame || !/\/(packages|apps)\//.test(callFrame.url)) continue;
      const name = frameName(callFrame);
      if (!seen.has(name)) add(inclusive, name, us);
      seen.add(name);
    }
  });
  const summary: ProfileSummary = {
    file,
    skippedMs: skipMs,
    busyMs: Math.round(busyUs / 1000),
    idleMs: Math.round(idleUs / 1000),
    topFunctions: top(functions, busyUs, count),
    byOrigin: top(origins, busyUs, 15),
    inclusiveWorkspace: top(inclusive, busyUs, count),
  };
  return summary;
}

/**
 * The main thread's `.cpuprofile` in `dir` (`CPU.<date>.<time>.<pid>.0.<seq>.cpuprofile`):
 * `--cpu-prof` also writes one per worker thread, such as the module loader's.
 */
export function findMainThreadProfile(dir: string): string | undefined {
  const name = readdirSync(dir)
    .filter((file) => /^CPU\.\d+\.\d+\.\d+\.0\.\d+\.cpuprofile$/.test(file))
    .sort()
    .at(-1);
  return name ? join(dir, name) : undefined;
}

/** The profile's tables as text: self time by origin and by function, and workspace functions' inclusive time. */
export function formatProfile(title: string, profile: ProfileSummary): string {
  const rows = (entries: ProfileEntry[]) =>
    entries
      .map((entry) => `  ${`${entry.percent}%`.padStart(6)}  ${`${entry.ms} ms`.padStart(9)}  ${entry.name}`)
      .join('\n');
  const parts = [
    `\nCPU profile, ${title}, main thread during the load (${profile.file})`,
    `${profile.busyMs} ms busy, ${profile.idleMs} ms idle; self time by origin:`,
    rows(profile.byOrigin),
    'self time by function:',
    rows(profile.topFunctions),
  ];
  if (profile.inclusiveWorkspace.length > 0) {
    parts.push('inclusive (synchronous) time of workspace functions:', rows(profile.inclusiveWorkspace));
  }
  return parts.join('\n');
}
