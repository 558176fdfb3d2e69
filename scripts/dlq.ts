import { parseArgs } from 'node:util';
import { SQSClient } from '@aws-sdk/client-sqs';
import { peekDeadLetters, redriveDeadLetters } from '../shared/operations/dead-letters.js';

const USAGE = `usage:
  npm run dlq -- list    --dlq <DLQ url> [--limit 10] [--show-body]
  npm run dlq -- redrive --dlq <DLQ url> --to <source queue url> [--max 100]
Queue URLs are in the stack outputs (InboxDlqUrl, OutboxDlqUrl...). Uses the usual AWS credentials and region;
--endpoint points at a local SQS (the local stack prints it).`;

/** `npm run dlq`: the on-call tool to see why deliveries failed and to send them back once fixed. */
const main = async (): Promise<void> => {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      dlq: { type: 'string' },
      to: { type: 'string' },
      limit: { type: 'string', default: '10' },
      max: { type: 'string', default: '100' },
      endpoint: { type: 'string' },
      region: { type: 'string', default: process.env.AWS_REGION ?? 'us-east-1' },
      'show-body': { type: 'boolean', default: false },
    },
  });
  const command = positionals[0];
  if (!values.dlq || (command !== 'list' && command !== 'redrive') || (command === 'redrive' && !values.to)) {
    process.stderr.write(`${USAGE}\n`);
    process.exit(2);
  }
  const sqs = new SQSClient({
    region: values.region,
    ...(values.endpoint
      ? { endpoint: values.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
      : {}),
  });
  if (command === 'list') {
    const letters = await peekDeadLetters(sqs, values.dlq, Number(values.limit));
    process.stdout.write(`${letters.length} message(s) in ${values.dlq}\n`);
    for (const l of letters) {
      process.stdout.write(
        `- ${l.messageId} received ${l.receiveCount}x sent ${l.sentAt ?? '?'}\n  ${l.summary}\n  reason: ${
          l.failureCode
            ? `${l.failureCode}: ${l.failureReason ?? ''}`
            : 'retries exhausted (see the worker logs for this delivery)'
        }\n${values['show-body'] ? `  body: ${l.body}\n` : ''}`,
      );
    }
    return;
  }
  const moved = await redriveDeadLetters(sqs, values.dlq, values.to ?? '', Number(values.max));
  process.stdout.write(`redrove ${moved} message(s) to ${values.to}\n`);
};

main().catch((error: unknown) => {
  process.stderr.write(`dlq failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
