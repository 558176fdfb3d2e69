import { quoteLargeIntegers } from '../../shared/json/lossless-json.js';
import { median } from '../stats.js';
import { measureInterleaved, type Task, type TaskGroup } from './measure.js';

/** Inputs built to make a scanner go quadratic or backtrack, at a given size in bytes. */
const HOSTILE_SHAPES: Readonly<Record<string, (bytes: number) => string>> = {
  'deeply nested arrays': (bytes) => {
    const depth = Math.floor((bytes - 20) / 2);
    return `${'['.repeat(depth)}1234567890123456${']'.repeat(depth)}`;
  },
  'one huge string, then an id': (bytes) => `{"s":"${'x'.repeat(bytes - 40)}","id":820982911946154508}`,
  'a string of backslashes': (bytes) => `{"s":"${'\\\\'.repeat((bytes - 40) / 2)}","id":820982911946154508}`,
  'a string of escaped quotes': (bytes) =>
    `{"s":"${'\\"'.repeat((bytes - 40) / 2)}","id":820982911946154508}`,
  'one huge number': (bytes) => `[${'7'.repeat(bytes - 2)}]`,
  'many long ids': (bytes) =>
    `[${Array.from({ length: Math.floor(bytes / 20) }, (_, k) => `${820982911946154508n + BigInt(k)}`).join(',')}]`,
  '15 digits and a letter, repeated': (bytes) => `"${'123456789012345a'.repeat(bytes / 16)}"`,
};

const SMALL = 128 * 1024;
const LARGE = 1024 * 1024;

/** Per shape: CPU per byte at 1 MiB divided by CPU per byte at 128 KiB (1 = linear, 8 = quadratic). */
export const scanGrowth = async (quick: boolean): Promise<Map<string, number>> => {
  const groups = new Map<string, TaskGroup>();
  for (const [shape, build] of Object.entries(HOSTILE_SHAPES)) {
    const small = build(SMALL);
    const large = build(LARGE);
    groups.set(
      shape,
      new Map<string, Task>([
        ['small', () => quoteLargeIntegers(small)],
        ['large', () => quoteLargeIntegers(large)],
      ]),
    );
  }
  // A 1 MiB scan takes several milliseconds and allocates: short batches and few rounds let one GC pause decide the
  // ratio (1.35× to 2.47× across runs of the same code). Longer batches and more rounds steady the median.
  const times = await measureInterleaved(groups, {
    warmupMs: quick ? 100 : 400,
    batchMs: quick ? 4 : 40,
    rounds: quick ? 3 : 15,
  });
  const growth = new Map<string, number>();
  for (const [shape, build] of Object.entries(HOSTILE_SHAPES)) {
    const t = times.get(shape);
    const perByte = (key: string, bytes: number) => median((t?.get(key) ?? []).map((b) => b.cpu)) / bytes;
    growth.set(shape, perByte('large', build(LARGE).length) / perByte('small', build(SMALL).length));
  }
  return growth;
};
