import { readFileSync } from 'node:fs';
import { MAX_PARKABLE_BODY_BYTES } from '../../failures/dead-letter.js';
import { SourceNameSchema } from '../../ingest/envelope.js';
import { encodeInboxMessage } from '../../ingest/inbox-message.js';
import { parseJsonLossless } from '../../json/lossless-json.js';
import { parseOptions, positiveInt, renderHelp, TARGET_OPTIONS, UsageError } from '../cli-args.js';
import { matchesId } from '../dead-letter.js';
import { envelopeOf, replayRaw, replayStored } from '../dlq-actions.js';
import { type OpsCommand, withTarget } from './command.js';
import { reportAction } from './redrive-command.js';

const options = {
  id: {
    type: 'string',
    multiple: true,
    value: '<id>',
    help: 'a stored delivery in the inbox DLQ (SQS message id or delivery id)',
  },
  file: { type: 'string', value: '<path>', help: 'a raw delivery body (the exact bytes the platform sent)' },
  source: {
    type: 'string',
    value: '<source>',
    help: 'with --file: shopify, recharge, judgeme, okendo, stamped, yotpo',
  },
  topic: { type: 'string', value: '<topic>', help: 'with --file: e.g. orders/create' },
  shop: { type: 'string', value: '<domain>', help: 'with --file: e.g. demo.myshopify.com' },
  'delivery-id': {
    type: 'string',
    value: '<id>',
    help: "with --file: the platform's delivery id (e.g. X-Shopify-Webhook-Id); default: derived from the content",
  },
  'api-version': { type: 'string', value: '<version>', help: 'with --file: e.g. 2026-01' },
  'dry-run': { type: 'boolean', help: 'build and check; queue nothing' },
  max: { type: 'string', value: '<n>', help: 'with --id: read at most n messages to find it (default 1000)' },
  ...TARGET_OPTIONS,
} as const;

/** `replay`: re-injects one stored raw delivery (or a raw file) into the inbox. */
export const replayCommand: OpsCommand = {
  options,
  help: {
    name: 'replay',
    summary: 're-inject a stored raw delivery (inbox DLQ) or a raw file into the inbox',
    usage:
      'replay --id <id> | --file <path> --source <source> --topic <topic> --shop <domain> [--delivery-id <id>] [--dry-run] [target]',
    description: `The stored raw delivery is the inbox DLQ message itself: the envelope ingest queued, with the verified
raw body unchanged. --id sends a copy of it to the inbox and leaves the DLQ copy (try one before redriving
the rest; once the copy is processed, a later redrive of the original is a duplicate and does nothing).

--file queues a raw body you hold (from the platform's delivery log, a support ticket) as if ingest had just
accepted it. You vouch for the bytes: no signature is checked. The same delivery id is one delivery: pass the
platform's own id to have one that was already processed recognised; without it the id is derived from the
content, so replaying the same file twice is one delivery.`,
    examples: [
      'npm run ops -- replay --id wh-1234',
      'npm run ops -- replay --file order.json --source shopify --topic orders/create --shop demo.myshopify.com',
    ],
  },
  run: async (argv, io) => {
    const values = parseOptions('replay', options, argv);
    if (values.help) {
      io.out(renderHelp(replayCommand.help, options));
      return 0;
    }
    const dryRun = values['dry-run'] === true;
    if ((values.id ? 1 : 0) + (values.file ? 1 : 0) !== 1) {
      throw new UsageError('replay needs either --id <id> or --file <path>');
    }
    if (values.id) {
      const ids = values.id;
      const max = positiveInt('max', values.max, 1000);
      return withTarget(io, values, async (target) => {
        const report = await replayStored(target, (l) => matchesId(l, ids), { dryRun, max });
        if (report.matched.length === 0) {
          io.err(`no stored delivery with id ${ids.join(', ')} in the inbox DLQ\n`);
          return 1;
        }
        return reportAction(io, 'replayed (copies sent to the inbox; DLQ copies kept)', report, dryRun);
      });
    }
    const source = SourceNameSchema.safeParse(values.source);
    if (!source.success)
      throw new UsageError(`--source must be one of ${SourceNameSchema.options.join(', ')}`);
    if (!values.topic || !values.shop) throw new UsageError('--file needs --topic and --shop');
    const body = readFileSync(values.file ?? '', 'utf8');
    try {
      parseJsonLossless(body);
    } catch {
      throw new UsageError(`${values.file} is not JSON: the workers would park it at once`);
    }
    const envelope = envelopeOf(
      {
        body,
        source: source.data,
        topic: values.topic,
        shop: values.shop,
        deliveryId: values['delivery-id'],
        apiVersion: values['api-version'],
      },
      io.now(),
    );
    if (Buffer.byteLength(encodeInboxMessage(envelope)) > MAX_PARKABLE_BODY_BYTES) {
      throw new UsageError(`${values.file} is too large for one inbox message`);
    }
    return withTarget(io, values, async (target) => {
      if (!dryRun) await replayRaw(target, envelope);
      io.out(
        `${dryRun ? 'dry run: would queue' : 'queued'} ${envelope.source} ${envelope.topic} shop=${envelope.shop} delivery=${envelope.deliveryId} into the inbox of ${target.label}\n`,
      );
      return 0;
    });
  },
};
