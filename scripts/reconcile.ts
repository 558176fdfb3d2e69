import { runReconcileCli } from '../shared/runtime/reconcile-cli.js';
import { runSyncCommandOnTerminal } from '../shared/runtime/sync-cli-kit.js';

// `npm run reconcile`: only the terminal is wired here; the command lives in shared/runtime.
runSyncCommandOnTerminal('reconcile', runReconcileCli);
