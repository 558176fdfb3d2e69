import { parseArgs } from 'node:util';
import { LoadDriver, type LoadResult } from './load/load-driver.js';

/**
 * The load driver's own process (spawned by the Target 3 section of `npm run bench`): the local stack sets its
 * environment and imports the handlers once per process, so it runs apart from the other sections. Prints one
 * `LOAD_RESULT <json>` line on stdout; the handlers' own output goes wherever it goes.
 *
 *   tsx bench/load-run.ts --rates 25,50,100 --seconds 15 --process 4 --deliver 2
 */
const { values } = parseArgs({
  options: {
    rates: { type: 'string', default: '25,50,100' },
    seconds: { type: 'string', default: '15' },
    duplicates: { type: 'string', default: '0.2' },
    process: { type: 'string', default: '1' },
    deliver: { type: 'string', default: '1' },
  },
});

const main = async (): Promise<void> => {
  // Quiet handlers: warnings of retried duplicates would drown the bench's output.
  process.env.POWERTOOLS_LOG_LEVEL = 'ERROR';
  const { startLocalStack } = await import('../local/local-stack.js');
  const { silentLog } = await import('../shared/ports/telemetry.js');
  const stack = await startLocalStack({
    apiPort: 0,
    log: silentLog,
    concurrency: { process: Number(values.process), deliver: Number(values.deliver) },
  });
  try {
    const driver = new LoadDriver(stack);
    const results: LoadResult[] = [];
    for (const rate of values.rates.split(',').map(Number)) {
      results.push(
        await driver.run({
          rate,
          seconds: Number(values.seconds),
          duplicateShare: Number(values.duplicates),
        }),
      );
    }
    process.stdout.write(`LOAD_RESULT ${JSON.stringify(results)}\n`);
  } finally {
    await stack.stop();
  }
};

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(
      `load run failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(2);
  },
);
