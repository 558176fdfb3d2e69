import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AwsCall, type AwsFault, type FaultProxy, startFaultProxy } from '../../local/fault-proxy.js';
import { classifyFailure } from '../../shared/failures/classify-failure.js';
import { startTestTable, type TestTable } from '../helpers/dynalite.js';
import { startTestQueues, type TestQueues } from '../helpers/fauxqs.js';

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

describe('fault proxy in front of dynalite and fauxqs (127.0.0.1)', () => {
  let table: TestTable;
  let queues: TestQueues;
  let dynamoProxy: FaultProxy;
  let sqsProxy: FaultProxy;
  let next: AwsFault | undefined;
  const calls: AwsCall[] = [];
  const plan = (call: AwsCall) => {
    calls.push(call);
    const fault = next;
    next = undefined;
    return fault;
  };
  let viaProxy: DynamoDBClient;

  beforeAll(async () => {
    [table, queues] = await Promise.all([startTestTable(), startTestQueues()]);
    dynamoProxy = await startFaultProxy('dynamodb', table.endpoint, plan);
    sqsProxy = await startFaultProxy('sqs', `http://127.0.0.1:${queues.server.port}`, plan);
    // One attempt: the test sees each injected fault as the connector's code would after the SDK's retries.
    viaProxy = new DynamoDBClient({
      region: 'us-east-1',
      endpoint: dynamoProxy.url,
      credentials,
      maxAttempts: 1,
    });
  });
  afterAll(async () => {
    viaProxy?.destroy();
    await Promise.all([dynamoProxy?.close(), sqsProxy?.close()]);
    await Promise.all([table?.close(), queues?.close()]);
  });

  const put = (pk: string) =>
    viaProxy.send(
      new PutItemCommand({ TableName: table.tableName, Item: { pk: { S: pk }, sk: { S: 'x' } } }),
    );
  const stored = async (pk: string) =>
    (
      await table.client.send(
        new GetItemCommand({ TableName: table.tableName, Key: { pk: { S: pk }, sk: { S: 'x' } } }),
      )
    ).Item !== undefined;
  const failureOf = async (call: Promise<unknown>) => {
    try {
      await call;
    } catch (error) {
      return error;
    }
    throw new Error('expected the call to fail');
  };

  it('lets calls through untouched when the plan picks nothing, and names each call', async () => {
    await put('clean');
    expect(await stored('clean')).toBe(true);
    expect(calls.at(-1)).toMatchObject({ service: 'dynamodb', operation: 'PutItem' });
    expect(calls.at(-1)?.body).toContain('"clean"');
  });

  it('throttles before the write: nothing applied, and the connector sees a transient throttle', async () => {
    next = { kind: 'throttle', when: 'before' };
    const error = await failureOf(put('throttled'));
    expect(await stored('throttled')).toBe(false);
    expect(classifyFailure(error)).toMatchObject({ class: 'transient', code: 'throttled' });
  });

  it('fails after the write: the write is applied, the caller sees a 500 (transient)', async () => {
    next = { kind: 'server_error', when: 'after' };
    const error = await failureOf(put('applied-then-500'));
    expect(await stored('applied-then-500')).toBe(true);
    expect(classifyFailure(error)).toMatchObject({ class: 'transient', code: 'dependency_failed' });
  });

  it('resets the connection before the write: a network error, classified transient', async () => {
    next = { kind: 'reset', when: 'before' };
    const error = await failureOf(put('reset'));
    expect(await stored('reset')).toBe(false);
    expect(classifyFailure(error).class).toBe('transient');
  });

  it('holds a call after applying it until the proxy closes (a crash between two steps)', async () => {
    let settled = false;
    next = { kind: 'hang', when: 'after' };
    const call = put('hung')
      .catch(() => undefined)
      .finally(() => {
        settled = true;
      });
    await expect.poll(() => stored('hung')).toBe(true);
    expect(settled).toBe(false);
    await dynamoProxy.close();
    await call;
    expect(settled).toBe(true);
    dynamoProxy = await startFaultProxy('dynamodb', table.endpoint, plan);
  });

  it('injures SQS calls too, naming the queue of each', async () => {
    const queue = queues.queue('proxied');
    const sqs = new SQSClient({ region: 'us-east-1', endpoint: sqsProxy.url, credentials, maxAttempts: 1 });
    try {
      next = { kind: 'throttle', when: 'before' };
      const error = await failureOf(
        sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: 'x' })),
      );
      expect(classifyFailure(error)).toMatchObject({ class: 'transient', code: 'throttled' });
      expect(calls.at(-1)).toMatchObject({ service: 'sqs', operation: 'SendMessage', queueUrl: queue.url });
      await sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: 'y' }));
      expect(queues.server.inspectQueue('proxied')?.messages.ready.map((m) => m.body)).toEqual(['y']);
    } finally {
      sqs.destroy();
    }
  });
});
