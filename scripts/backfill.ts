import { hostname } from 'node:os';
import { runBackfillCli } from '../shared/operations/sync/backfill-cli.js';
import { resolveSyncTarget } from '../shared/operations/sync/sync-target.js';

// `npm run backfill`: only the terminal is wired here; the command lives in shared/operations/sync.
runBackfillCli(process.argv.slice(2), {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  now: () => new Date(),
  target: (options) => resolveSyncTarget(options),
  holder: `${hostname()}#${process.pid}`,
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`backfill failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
