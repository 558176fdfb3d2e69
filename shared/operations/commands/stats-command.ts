import { parseOptions, positiveInt, renderHelp, TARGET_OPTIONS } from '../cli-args.js';
import { DLQS } from '../dead-letter-queues.js';
import { type DlqStats, dlqStats, RECEIVE_NOTE, redriveLabel, renderStats } from '../dlq-stats.js';
import { queueDepth, receiveAll, release } from '../dlq-walk.js';
import { dlqsOf, type OpsCommand, withTarget } from './command.js';

const options = {
  dlq: {
    type: 'string',
    multiple: true,
    value: '<name>',
    help: 'inbox, outbox, cart-check or scheduler (default: all)',
  },
  'no-receive': { type: 'boolean', help: 'depths only: receive nothing, change nothing' },
  max: {
    type: 'string',
    value: '<n>',
    help: 'read at most n messages per DLQ to count codes (default 1000)',
  },
  json: { type: 'boolean', help: 'machine-readable output' },
  ...TARGET_OPTIONS,
} as const;

/** `stats`: every DLQ's depth, oldest age and counts by failure code. */
export const statsCommand: OpsCommand = {
  options,
  help: {
    name: 'stats',
    summary: 'every DLQ: depth, oldest age, counts by failure code',
    usage: 'stats [--dlq <name>]... [--no-receive] [--max <n>] [--json] [target]',
    description: `Shows each DLQ's depth (waiting, in flight), the age of its oldest message, where it redrives to
and how many messages carry each failure code.

${RECEIVE_NOTE}`,
    examples: [
      'npm run ops -- stats',
      'npm run ops -- stats --stack CommerceWebhookConnector-prod --profile prod --no-receive',
    ],
  },
  run: async (argv, io) => {
    const values = parseOptions('stats', options, argv);
    if (values.help) {
      io.out(renderHelp(statsCommand.help, options));
      return 0;
    }
    const dlqs = dlqsOf(values.dlq);
    const max = positiveInt('max', values.max, 1000);
    const receiving = !values['no-receive'];
    return withTarget(io, values, async (target) => {
      const stats: DlqStats[] = [];
      for (const dlq of dlqs) {
        const queue = target.dlqs[dlq];
        if (!queue) {
          stats.push({
            dlq,
            missing: target.missing[dlq],
            read: 0,
            receives: 0,
            complete: false,
            byCode: [],
            redrivesTo: redriveLabel(dlq),
          });
          continue;
        }
        const depth = await queueDepth(target.sqs, queue.url);
        if (!receiving || depth.visible === 0) {
          stats.push(dlqStats(dlq, depth, [], 0, false));
          continue;
        }
        // Hidden for 30 s at most, and released as soon as the read is over.
        const { held, receives } = await receiveAll(target.sqs, queue.url, dlq, { max, hideSeconds: 30 });
        await release(target.sqs, queue.url, held);
        const letters = [...new Map(held.map((h) => [h.letter.messageId, h.letter])).values()];
        stats.push(dlqStats(dlq, depth, letters, receives, held.length >= max));
      }
      const now = io.now();
      if (values.json) {
        io.out(
          `${JSON.stringify(
            {
              target: target.label,
              at: now.toISOString(),
              received: receiving,
              receives: stats.reduce((n, s) => n + s.receives, 0),
              dlqs: stats.map((s) => ({ ...s, holds: DLQS[s.dlq].holds })),
              note: RECEIVE_NOTE.replace(/\n/g, ' '),
            },
            null,
            2,
          )}\n`,
        );
      } else {
        io.out(renderStats(target.label, stats, now, receiving));
      }
      return 0;
    });
  },
};
