import { runBackfillCli } from '../shared/runtime/backfill-cli.js';
import { runSyncCommandOnTerminal } from '../shared/runtime/sync-cli-kit.js';

// `npm run backfill`: only the terminal is wired here; the command lives in shared/runtime.
runSyncCommandOnTerminal('backfill', runBackfillCli);
