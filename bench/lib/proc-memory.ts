import { readFileSync } from 'node:fs';

export interface MemoryReading {
  /** Resident set size now (VmRSS), MiB. */
  rssMb: number;
  /** Highest resident set size since the process started (VmHWM), MiB. */
  hwmMb: number;
}

const MIB = 1024;

/**
 * Reads VmRSS and VmHWM of `pid` from /proc/<pid>/status (Linux only). Undefined when the
 * process is gone. It does NOT count the memory of the process's children.
 */
export function readMemory(pid: number): MemoryReading | undefined {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return undefined;
  }
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rssMb: round(kib('VmRSS') / MIB), hwmMb: round(kib('VmHWM') / MIB) };
}

export interface MemorySampler {
  /** Stops sampling; returns the highest VmRSS seen and how many samples were taken. */
  stop(): { peakRssMb: number; samples: number };
}

/** Samples the VmRSS of `pid` every `intervalMs` (200 ms by default) until stopped. */
export function sampleMemory(pid: number, intervalMs = 200): MemorySampler {
  let peak = 0;
  let samples = 0;
  const take = () => {
    const reading = readMemory(pid);
    if (!reading) return;
    samples += 1;
    peak = Math.max(peak, reading.rssMb);
  };
  take();
  const timer = setInterval(take, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      take();
      return { peakRssMb: peak, samples };
    },
  };
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
