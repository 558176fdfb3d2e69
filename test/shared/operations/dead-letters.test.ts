import {
  CreateQueueCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { type FauxqsServer, startFauxqs } from 'fauxqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { peekDeadLetters, redriveDeadLetters } from '../../../shared/operations/dead-letters.js';

describe('dead letters on fauxqs (SQS emulator on 127.0.0.1)', () => {
  let server: FauxqsServer;
  let sqs: SQSClient;
  let dlqUrl: string;
  let sourceUrl: string;

  beforeAll(async () => {
    server = await startFauxqs({ port: 0, host: '127.0.0.1', logger: false });
    sqs = new SQSClient({
      region: 'us-east-1',
      endpoint: `http://127.0.0.1:${server.port}`,
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
    });
    dlqUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'ops-dlq' }))).QueueUrl ?? '';
    sourceUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'ops-inbox' }))).QueueUrl ?? '';
    const envelope = {
      version: 1,
      source: 'shopify',
      topic: 'orders/create',
      shop: 's.myshopify.com',
      deliveryId: 'wh-9',
      body: '{"email":"secret@example.com"}',
    };
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: dlqUrl,
        MessageBody: JSON.stringify(envelope),
        MessageAttributes: {
          failure_code: { DataType: 'String', StringValue: 'payload_invalid' },
          failure_reason: { DataType: 'String', StringValue: 'currency: ISO 4217 code' },
        },
      }),
    );
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: dlqUrl,
        MessageBody: '{"type":"event","event":{"name":"Order Completed","dedupe_key":"k1"}}',
      }),
    );
  });
  afterAll(async () => {
    sqs.destroy();
    await server.stop();
  });

  it('lists dead letters with their reason and routing facts, without consuming them or showing PII in the summary', async () => {
    const letters = await peekDeadLetters(sqs, dlqUrl);
    expect(letters).toHaveLength(2);
    const parked = letters.find((l) => l.failureCode === 'payload_invalid');
    expect(parked?.summary).toBe('shopify orders/create shop=s.myshopify.com delivery=wh-9');
    expect(parked?.summary).not.toContain('secret@example.com');
    expect(parked?.failureReason).toBe('currency: ISO 4217 code');
    expect(letters.find((l) => l.failureCode === undefined)?.summary).toBe('event "Order Completed" key=k1');
    expect(await peekDeadLetters(sqs, dlqUrl)).toHaveLength(2);
  });

  it('redrives every message to the source queue and empties the DLQ', async () => {
    expect(await redriveDeadLetters(sqs, dlqUrl, sourceUrl)).toBe(2);
    expect(await peekDeadLetters(sqs, dlqUrl)).toHaveLength(0);
    const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl: sourceUrl, MaxNumberOfMessages: 10 }));
    expect(
      (out.Messages ?? [])
        .map((m) => JSON.parse(m.Body ?? '{}').deliveryId ?? JSON.parse(m.Body ?? '{}').type)
        .sort(),
    ).toEqual(['event', 'wh-9']);
  });
});
