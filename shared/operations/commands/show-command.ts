import { parseOptions, positiveInt, renderHelp, TARGET_OPTIONS } from '../cli-args.js';
import { presentDeadLetter } from '../dead-letter.js';
import { receiveAll, release } from '../dlq-walk.js';
import { renderLetter } from '../letter-render.js';
import { dlqsOf, type OpsCommand, selectorOf, withTarget } from './command.js';

const options = {
  dlq: {
    type: 'string',
    multiple: true,
    value: '<name>',
    help: 'inbox, outbox, cart-check or scheduler (default: all)',
  },
  limit: { type: 'string', value: '<n>', help: 'show at most n messages per DLQ (default 10)' },
  code: {
    type: 'string',
    multiple: true,
    value: '<failure_code>',
    help: 'only messages with this failure code',
  },
  id: {
    type: 'string',
    multiple: true,
    value: '<id>',
    help: 'only this message: its SQS message id or its delivery id',
  },
  max: {
    type: 'string',
    value: '<n>',
    help: 'with --code or --id: read at most n messages per DLQ to find matches (default 1000)',
  },
  raw: { type: 'boolean', help: 'show payloads unmasked (emails, phones, names, addresses): use with care' },
  brief: { type: 'boolean', help: 'no payloads, one block of facts per message' },
  json: { type: 'boolean', help: 'machine-readable output (masked unless --raw)' },
  ...TARGET_OPTIONS,
} as const;

/** `show`: dead letters with their facts, reason and (masked) payload. */
export const showCommand: OpsCommand = {
  options,
  help: {
    name: 'show',
    summary: 'dead letters: source, topic, shop, delivery id, attempts, reason, masked payload',
    usage:
      'show [--dlq <name>]... [--code <failure_code>]... [--id <id>]... [--limit <n>] [--raw] [--brief] [--json] [target]',
    description: `Shows dead letters with source, topic, shop, delivery id, received time, attempts, failure code,
class and reason, who parked them, and where a redrive sends them. It reads messages the way stats does (hidden
for 30 s at most, released at once; each read adds 1 to a message's receive count in the DLQ, which redrive
ignores).

Payloads are masked: values under email, phone, name and address keys, and emails or phone numbers inside any
text, become [email], [phone], [name], [address]. Ids, amounts and products stay. --raw shows everything.`,
    examples: [
      'npm run ops -- show --dlq inbox --brief',
      'npm run ops -- show --dlq inbox --code payload_invalid --limit 1',
      'npm run ops -- show --id 7b3a9c1e-... --json',
    ],
  },
  run: async (argv, io) => {
    const values = parseOptions('show', options, argv);
    if (values.help) {
      io.out(renderHelp(showCommand.help, options));
      return 0;
    }
    const dlqs = dlqsOf(values.dlq);
    const limit = positiveInt('limit', values.limit, 10);
    const select = selectorOf(values.code, values.id);
    const max = select ? positiveInt('max', values.max, 1000) : limit;
    const raw = values.raw === true;
    return withTarget(io, values, async (target) => {
      const now = io.now();
      const shown: ReturnType<typeof presentDeadLetter>[] = [];
      const notes: string[] = [];
      for (const dlq of dlqs) {
        const queue = target.dlqs[dlq];
        if (!queue) {
          if (values.dlq) notes.push(`${dlq}: not available (${target.missing[dlq] ?? 'not found'})`);
          continue;
        }
        const { held } = await receiveAll(target.sqs, queue.url, dlq, { max, hideSeconds: 30 });
        await release(target.sqs, queue.url, held);
        const unique = [...new Map(held.map((h) => [h.letter.messageId, h.letter])).values()];
        const matching = select ? unique.filter(select) : unique;
        shown.push(...matching.slice(0, limit).map((l) => presentDeadLetter(l, raw)));
        if (matching.length > limit)
          notes.push(`${dlq}: ${matching.length - limit} more not shown (--limit)`);
        if (held.length >= max)
          notes.push(
            select
              ? `${dlq}: stopped reading at ${max} messages (--max): more may match`
              : `${dlq}: more may be waiting beyond the ${limit} shown (raise --limit; stats gives the depth)`,
          );
      }
      if (values.json) {
        io.out(`${JSON.stringify({ target: target.label, raw, messages: shown, notes }, null, 2)}\n`);
        return 0;
      }
      io.out(`Dead letters of ${target.label}${raw ? ' — RAW, personal data shown' : ''}\n\n`);
      if (shown.length === 0) io.out('No dead letters match.\n');
      for (const letter of shown)
        io.out(`${renderLetter(letter, now, { brief: values.brief === true, raw })}\n`);
      for (const note of notes) io.out(`${note}\n`);
      return 0;
    });
  },
};
