import { readFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';

/** The machine a run was made on: numbers from different machines are not comparable. */
export interface MachineInfo {
  readonly node: string;
  readonly v8: string;
  readonly platform: string;
  readonly arch: string;
  readonly cpuModel: string;
  readonly cores: number;
  readonly memoryGiB: number;
  /** 1-minute load average at the start: above the core count, other processes competed for the CPU. */
  readonly loadAverage: number;
}

/** The CPU model as /proc/cpuinfo names it (Linux), else as Node reports it. */
const cpuModel = (): string => {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('model name'));
    const name = line?.split(':')[1]?.trim();
    if (name) return name;
  } catch {
    // Not Linux: fall through to what Node knows.
  }
  return cpus()[0]?.model ?? 'unknown';
};

/** Describes this machine and Node. */
export const machineInfo = (): MachineInfo => ({
  node: process.version,
  v8: process.versions.v8,
  platform: process.platform,
  arch: process.arch,
  cpuModel: cpuModel(),
  cores: availableParallelism(),
  memoryGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
  loadAverage: Math.round((loadavg()[0] ?? 0) * 100) / 100,
});
