import { readdirSync, readFileSync } from 'node:fs';

/** CPU time (user + system, ms) of each thread of a process, by thread id. */
export type ThreadCpu = Map<number, number>;

/** Linux reports thread CPU time in clock ticks of 1/100 s on every common configuration. */
const MS_PER_TICK = 10;

/**
 * Reads utime + stime of every thread of `pid` from /proc/<pid>/task/<tid>/stat (Linux only).
 * Empty when the process is gone. Resolution is one clock tick (10 ms).
 */
export function readThreadCpu(pid: number): ThreadCpu {
  const result: ThreadCpu = new Map();
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return result;
  }
  for (const tid of tids) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      result.set(Number(tid), (Number(fields[11]) + Number(fields[12])) * MS_PER_TICK);
    } catch {
      // the thread ended between the listing and the read
    }
  }
  return result;
}

export interface CpuUse {
  /** The main thread (JavaScript, the event loop). */
  mainMs: number;
  /** Every other thread: libuv's pool (argon2, async crypto, fs), V8's GC and compiler helpers. */
  otherMs: number;
  /** The busiest other threads, ms each, highest first. */
  otherThreadsMs: number[];
}

/** CPU used by `pid`'s threads between two readings. */
export function diffThreadCpu(pid: number, before: ThreadCpu, after: ThreadCpu): CpuUse {
  let mainMs = 0;
  const others: number[] = [];
  for (const [tid, ms] of after) {
    const used = ms - (before.get(tid) ?? 0);
    if (tid === pid) mainMs = used;
    else if (used > 0) others.push(used);
  }
  others.sort((a, b) => b - a);
  return { mainMs, otherMs: others.reduce((sum, ms) => sum + ms, 0), otherThreadsMs: others.slice(0, 8) };
}
