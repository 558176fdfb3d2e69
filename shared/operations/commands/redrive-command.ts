import { parseOptions, positiveInt, renderHelp, TARGET_OPTIONS } from '../cli-args.js';
import { DLQS } from '../dead-letter-queues.js';
import { type ActionReport, redriveSelected, requireDlq, requireSourceQueue } from '../dlq-actions.js';
import { redriveLabel } from '../dlq-stats.js';
import { queueDepth } from '../dlq-walk.js';
import { moveAll } from '../move-task.js';
import type { OpsTarget } from '../ops-target.js';
import { type OpsCommand, type OpsIo, oneDlq, SELECTION_OPTIONS, selectorOf, withTarget } from './command.js';

const options = {
  ...SELECTION_OPTIONS,
  'dry-run': { type: 'boolean', help: 'say what would move; move nothing' },
  max: { type: 'string', value: '<n>', help: 'read at most n messages when filtering (default 1000)' },
  ...TARGET_OPTIONS,
} as const;

/**
 * Prints what a selective redrive did and returns the exit code. A filter (`--code`, `--id`) that matched nothing is
 * a failure (exit 1): a mistyped id must not look like a message handled.
 */
export const reportAction = (
  io: OpsIo,
  verb: string,
  report: ActionReport,
  dryRun: boolean,
  filtered = false,
): number => {
  if (filtered && report.matched.length === 0) {
    io.err(
      `no dead letter matches the --code/--id given${report.limited ? ' in the messages read (--max)' : ''}: nothing ${verb}\n`,
    );
    if (report.released > 0) io.out(`${report.released} other message(s) read and released untouched\n`);
    return 1;
  }
  io.out(
    dryRun
      ? `dry run: ${report.matched.length} message(s) would be ${verb}\n`
      : `${verb} ${report.done.length} of ${report.matched.length} matching message(s)\n`,
  );
  for (const letter of report.matched) {
    io.out(`  ${letter.messageId}  ${letter.failure.code}  ${letter.summary}\n`);
  }
  for (const left of report.left) io.out(`  left in the DLQ: ${left.messageId}: ${left.reason}\n`);
  if (report.released > 0) io.out(`${report.released} other message(s) read and released untouched\n`);
  if (report.limited) io.out('stopped reading at --max: run again for the rest\n');
  return report.left.length > 0 ? 1 : 0;
};

/** Moves a whole inbox or outbox DLQ with SQS's own move task, following its progress. */
const redriveEverything = async (
  io: OpsIo,
  target: OpsTarget,
  dlq: 'inbox' | 'outbox',
  dryRun: boolean,
): Promise<number> => {
  const source = requireDlq(target, dlq);
  const destination = requireSourceQueue(target, dlq);
  const depth = await queueDepth(target.sqs, source.url);
  if (dryRun) {
    io.out(
      `dry run: would start an SQS message move task for ~${depth.visible} message(s): ${dlq} DLQ → ${dlq} queue\n`,
    );
    return 0;
  }
  io.out(`StartMessageMoveTask: ${dlq} DLQ (~${depth.visible} message(s)) → ${dlq} queue\n`);
  let last = '';
  const result = await moveAll(target.sqs, await target.arnOf(source), await target.arnOf(destination), {
    pollMs: io.pollMs,
    onProgress: (p) => {
      const line = `  ${p.status}: moved ${p.moved}${p.toMove === undefined ? '' : ` of ${p.toMove}`}`;
      if (line !== last) io.out(`${line}\n`);
      last = line;
    },
  });
  if (result.followedExisting)
    io.out('(a move task was already running on this DLQ: followed it to the end)\n');
  if (result.status !== 'COMPLETED') {
    io.err(`move task ${result.status}${result.failureReason ? `: ${result.failureReason}` : ''}\n`);
    return 1;
  }
  io.out(`done: ${result.moved} message(s) back in the ${dlq} queue\n`);
  return 0;
};

/** `redrive`: sends dead letters back where they came from, once the cause is fixed. */
export const redriveCommand: OpsCommand = {
  options,
  help: {
    name: 'redrive',
    summary: 'send dead letters back to their source (after the fix), all or by code / id',
    usage: 'redrive --dlq <name> [--code <failure_code>]... [--id <id>]... [--dry-run] [target]',
    description: `Sends dead letters back where they came from; the CLI knows each DLQ's target:
  inbox DLQ → inbox queue, outbox DLQ → outbox queue,
  cart-check DLQ and scheduler DLQ → the cart check is run again with its original input {shop, cart_token,
  step} (AWS: Lambda Invoke, InvocationType Event; local stack: a schedule due now in the local scheduler).
  A re-run check re-reads the cart, so a check that is late, repeated or already done exits with a reason.

Without --code or --id, the inbox and outbox DLQs are moved whole by SQS itself (StartMessageMoveTask, progress
shown with ListMessageMoveTasks until done). With --code or --id, or where there is no move task (the local
stack's SQS emulator, the cart-check DLQs), each message is received, sent (or re-run) and then deleted: send
first, so an interruption duplicates (the workers deduplicate) rather than loses. Redriven messages are new
messages: their receive count starts at 0.`,
    examples: [
      'npm run ops -- redrive --dlq inbox --code payload_invalid --dry-run',
      'npm run ops -- redrive --dlq inbox --stack CommerceWebhookConnector-prod',
      'npm run ops -- redrive --dlq cart-check',
    ],
  },
  run: async (argv, io) => {
    const values = parseOptions('redrive', options, argv);
    if (values.help) {
      io.out(renderHelp(redriveCommand.help, options));
      return 0;
    }
    const dlq = oneDlq(values.dlq);
    const select = selectorOf(values.code, values.id);
    const dryRun = values['dry-run'] === true;
    const max = positiveInt('max', values.max, 1000);
    return withTarget(io, values, async (target) => {
      const info = DLQS[dlq];
      if (!select && target.moveTasks && (dlq === 'inbox' || dlq === 'outbox')) {
        return redriveEverything(io, target, dlq, dryRun);
      }
      const why =
        info.target === 'cart-check'
          ? `each check is run again: ${target.cartCheck.how}`
          : !target.moveTasks
            ? 'message by message (this SQS has no StartMessageMoveTask)'
            : 'message by message (filtered)';
      io.out(`redrive ${dlq} DLQ → ${redriveLabel(dlq)}: ${why}\n`);
      const report = await redriveSelected(target, dlq, select ?? (() => true), { dryRun, max });
      return reportAction(io, 'redriven', report, dryRun, select !== undefined);
    });
  },
};
