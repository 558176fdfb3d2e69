import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { measureTopicCalls } from './aws-calls/measure-calls.js';

/**
 * `npx tsx bench/aws-calls-baseline.ts`: records the current AWS calls per scenario as the "before" of Target 2
 * (bench/aws-calls/baseline.json). Run it on the commit to compare against, with this harness copied in.
 */
const main = async (): Promise<void> => {
  const label =
    process.env.BASELINE_LABEL ??
    execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  const rows = await measureTopicCalls();
  const file = resolve(import.meta.dirname, 'aws-calls', 'baseline.json');
  writeFileSync(file, `${JSON.stringify({ measuredAt: label, rows }, null, 2)}\n`);
  process.stdout.write(`baseline of ${rows.length} scenarios written to ${file}\n`);
};

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
