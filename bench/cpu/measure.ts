/**
 * Interleaved timing for a noisy shared machine. Every candidate is timed in short batches; a round times every
 * candidate once, in an order that rotates from round to round, so a burst of load from another process hits all
 * candidates alike instead of one. The caller compares candidates within a round (paired ratios) and takes medians
 * across rounds.
 *
 * The time taken is the process's CPU time (`process.cpuUsage`: user + system, all threads, so V8's background GC
 * and compiler work counts too), not the wall clock: on a machine shared with other jobs, wall time also counts
 * the slices spent waiting for a core, which is noise here. (`process.threadCpuUsage` would leave the background
 * threads out, but on this kernel it only advances in scheduler ticks.) Wall time is kept beside it.
 */

/** Something to time: sync or async. Its result is kept in a sink so the work cannot be optimized away. */
export type Task = () => unknown;

/** How long to warm up and how long each timed batch lasts. */
export interface MeasureOptions {
  readonly warmupMs: number;
  readonly batchMs: number;
  readonly rounds: number;
  readonly onRound?: (round: number) => void;
}

/** Every result lands here: a module-level write the optimizer cannot drop, so no timed work is dead code. */
const sink: { value: unknown } = { value: undefined };

const now = (): bigint => process.hrtime.bigint();

/** Process CPU time (user + system) in nanoseconds; microsecond resolution. */
const cpuNow = (): number => {
  const { user, system } = process.cpuUsage();
  return (user + system) * 1000;
};

/** Nanoseconds per call of one batch: CPU and wall clock. */
export interface BatchTime {
  readonly cpu: number;
  readonly wall: number;
}

/** Runs a task `iterations` times. */
const runBatch = async (task: Task, iterations: number): Promise<BatchTime> => {
  const wallStart = now();
  const cpuStart = cpuNow();
  for (let i = 0; i < iterations; i += 1) {
    const result = task();
    sink.value = result instanceof Promise ? await result : result;
  }
  const cpu = cpuNow() - cpuStart;
  return { cpu: cpu / iterations, wall: Number(now() - wallStart) / iterations };
};

/** Runs a task for about `ms` milliseconds of CPU time and returns CPU nanoseconds per call. */
const runFor = async (task: Task, ms: number): Promise<number> => {
  const budget = ms * 1e6;
  const wallDeadline = now() + BigInt(Math.round(budget * 20));
  const cpuStart = cpuNow();
  let calls = 0;
  do {
    const result = task();
    sink.value = result instanceof Promise ? await result : result;
    calls += 1;
  } while (cpuNow() - cpuStart < budget && now() < wallDeadline);
  return Math.max(1, cpuNow() - cpuStart) / calls;
};

const rotate = <T>(items: readonly T[], by: number): T[] => {
  const k = items.length === 0 ? 0 : by % items.length;
  return [...items.slice(k), ...items.slice(0, k)];
};

/** Tasks compared with each other (e.g. the floor, core and pipeline of one payload): timed back to back. */
export type TaskGroup = ReadonlyMap<string, Task>;

/**
 * Times every task of every group in `rounds` interleaved rounds. Each round walks the groups, and the tasks of a
 * group back to back, both in an order that rotates from round to round (so no task always runs first, or always
 * right after another's garbage). Returns nanoseconds per call for each group and task, one value per round.
 * Tasks are warmed up first (twice, in opposite orders, so every call site has seen every input shape before
 * timing starts) and calibrated to about `batchMs` per batch.
 */
export const measureInterleaved = async (
  groups: ReadonlyMap<string, TaskGroup>,
  options: MeasureOptions,
): Promise<Map<string, Map<string, BatchTime[]>>> => {
  const all = [...groups.values()].flatMap((group) => [...group.values()]);
  const perTaskWarmup = options.warmupMs / Math.max(1, all.length) / 2;
  for (const task of [...all, ...[...all].reverse()]) await runFor(task, perTaskWarmup);
  // Calibrated on CPU time, twice, keeping the cheaper estimate: a burst of load during calibration must not
  // leave a task with batches of one call, which would time its cold start instead of its work.
  const iterations = new Map<Task, number>();
  for (const task of all) {
    const nsPerCall = Math.min(await runFor(task, options.batchMs), await runFor(task, options.batchMs));
    iterations.set(task, Math.max(1, Math.round((options.batchMs * 1e6) / nsPerCall)));
  }
  const results = new Map<string, Map<string, BatchTime[]>>(
    [...groups].map(([name, group]) => [name, new Map([...group.keys()].map((k) => [k, [] as BatchTime[]]))]),
  );
  const names = [...groups.keys()];
  for (let round = 0; round < options.rounds; round += 1) {
    for (const name of rotate(names, round * 5)) {
      const group = groups.get(name);
      if (!group) continue;
      for (const key of rotate([...group.keys()], round)) {
        const task = group.get(key) as Task;
        results
          .get(name)
          ?.get(key)
          ?.push(await runBatch(task, iterations.get(task) ?? 1));
      }
    }
    options.onRound?.(round);
  }
  return results;
};
