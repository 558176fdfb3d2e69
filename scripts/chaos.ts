import { parseArgs } from 'node:util';
import { CHAOS_PROFILES } from '../test/chaos/profiles.js';
import { formatReport, passed } from '../test/chaos/report.js';
import { runChaos } from '../test/chaos/run-chaos.js';

const USAGE = `usage: npm run chaos [-- --seed N --deliveries N --duration S --trace TEXT]
  Drives N deliveries (duplicates included; default ${CHAOS_PROFILES.long.deliveries}) from every platform through the local
  stack over S seconds (default ${CHAOS_PROFILES.long.durationSeconds}), with faults at Customer.io and on the Lambdas' DynamoDB and
  SQS calls, drains it, and checks that every expected event reached Customer.io under exactly one id or was
  parked with a reason. The same seed plans the same run. --trace prints every Customer.io call holding TEXT.
  Exit code 1 when it does not hold.`;

/** `npm run chaos`: the long chaos run (test/chaos/), with its figures. */
const main = async (): Promise<void> => {
  const { values } = parseArgs({
    options: {
      seed: { type: 'string' },
      deliveries: { type: 'string' },
      duration: { type: 'string' },
      trace: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const number = (text: string | undefined, fallback: number): number => {
    if (text === undefined) return fallback;
    const value = Number(text);
    if (!Number.isInteger(value) || value < 0) throw new Error(`not a whole number: ${text}\n${USAGE}`);
    return value;
  };
  const profile = CHAOS_PROFILES.long;
  const result = await runChaos({
    ...profile,
    seed: number(values.seed, profile.seed),
    deliveries: number(values.deliveries, profile.deliveries),
    durationSeconds: number(values.duration, profile.durationSeconds),
    ...(values.trace ? { trace: values.trace } : {}),
    progress: (line) => process.stdout.write(`${line}\n`),
  });
  process.stdout.write(formatReport(result));
  process.exitCode = passed(result) ? 0 : 1;
};

main().catch((error: unknown) => {
  process.stderr.write(`chaos run failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
