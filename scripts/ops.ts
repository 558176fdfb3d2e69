import { createInterface } from 'node:readline/promises';
import { runOps } from '../shared/operations/ops-cli.js';
import { resolveTarget } from '../shared/operations/ops-target.js';

// `npm run ops` (and `npm run dlq`): the on-call tool for the dead-letter queues. Only the terminal is wired here;
// the commands live in shared/operations.

/** Asks one question on the terminal (purge's confirmation). */
const ask = async (question: string): Promise<string> => {
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return await prompt.question(question);
  } finally {
    prompt.close();
  }
};

runOps(process.argv.slice(2), {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  interactive: process.stdin.isTTY === true,
  ask,
  now: () => new Date(),
  target: (options) => resolveTarget(options),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`ops failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
