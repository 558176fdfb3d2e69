import { parseOptions, positiveInt, renderHelp, TARGET_OPTIONS, UsageError } from '../cli-args.js';
import { purgeAll, purgeSelected, requireDlq } from '../dlq-actions.js';
import { queueDepth } from '../dlq-walk.js';
import { type OpsCommand, oneDlq, SELECTION_OPTIONS, selectorOf, withTarget } from './command.js';
import { reportAction } from './redrive-command.js';

const options = {
  ...SELECTION_OPTIONS,
  yes: { type: 'boolean', help: 'do not ask for confirmation (scripts; required when not on a terminal)' },
  'dry-run': { type: 'boolean', help: 'say what would be deleted; delete nothing' },
  max: { type: 'string', value: '<n>', help: 'read at most n messages when filtering (default 1000)' },
  ...TARGET_OPTIONS,
} as const;

/** `purge`: deletes dead letters for good, after confirmation. */
export const purgeCommand: OpsCommand = {
  options,
  help: {
    name: 'purge',
    summary: 'delete dead letters for good (asks first, or --yes)',
    usage: 'purge --dlq <name> [--code <failure_code>]... [--id <id>]... [--yes] [--dry-run] [target]',
    description: `Deletes dead letters for good: the whole DLQ with PurgeQueue, or only the messages matching --code or
--id (received, deleted one by one, the rest released). It asks you to type the DLQ's name first; --yes skips
the question (and is required when stdin is not a terminal). SQS allows one PurgeQueue per queue per 60 s and
may take up to 60 s to delete everything. Use it for what must never be redriven (a redacted customer's
deliveries, cart checks long past their use); look with show first.`,
    examples: [
      'npm run ops -- purge --dlq cart-check --code lambda_event_age_exceeded --dry-run',
      'npm run ops -- purge --dlq inbox --id wh-1234 --yes',
    ],
  },
  run: async (argv, io) => {
    const values = parseOptions('purge', options, argv);
    if (values.help) {
      io.out(renderHelp(purgeCommand.help, options));
      return 0;
    }
    const dlq = oneDlq(values.dlq);
    const select = selectorOf(values.code, values.id);
    const dryRun = values['dry-run'] === true;
    const max = positiveInt('max', values.max, 1000);
    if (!values.yes && !dryRun && !io.interactive) {
      throw new UsageError('purge deletes for good: pass --yes (stdin is not a terminal, so it cannot ask)');
    }
    return withTarget(io, values, async (target) => {
      const depth = await queueDepth(target.sqs, requireDlq(target, dlq).url);
      const what = select ? 'the matching messages' : `all ~${depth.visible + depth.inFlight} message(s)`;
      if (!values.yes && !dryRun) {
        const answer = await io.ask(
          `Delete ${what} of the ${dlq} DLQ on ${target.label} for good? Type "${dlq}" to confirm: `,
        );
        if (answer.trim() !== dlq) {
          io.out('not confirmed: nothing deleted\n');
          return 1;
        }
      }
      if (select) {
        const report = await purgeSelected(target, dlq, select, { dryRun, max });
        return reportAction(io, 'deleted', report, dryRun, true);
      }
      if (dryRun) {
        io.out(
          `dry run: PurgeQueue would delete ~${depth.visible + depth.inFlight} message(s) of the ${dlq} DLQ\n`,
        );
        return 0;
      }
      await purgeAll(target, dlq);
      io.out(
        `purged the ${dlq} DLQ (~${depth.visible + depth.inFlight} message(s); SQS may take up to 60 s)\n`,
      );
      return 0;
    });
  },
};
