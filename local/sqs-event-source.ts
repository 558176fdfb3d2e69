import {
  DeleteMessageBatchCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { Log } from '../shared/ports/telemetry.js';

/** An SQS-triggered Lambda handler as the local event source calls it. */
export type SqsLambda = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | undefined>;

/** Settings of one local event source mapping. */
export interface SqsEventSourceOptions {
  readonly name: string;
  readonly queueUrl: string;
  readonly queueArn: string;
  readonly batchSize: number;
  readonly region: string;
  /** Batches handled at once (Lambda scales its pollers and concurrent invocations); 1 by default. */
  readonly concurrency?: number;
  /**
   * The function timeout: an invocation still running after it counts as failed, as in Lambda (nothing is deleted,
   * its records return after their visibility timeout). Unlimited by default.
   */
  readonly timeoutMs?: number;
}

/** Marks an invocation that ran past the function timeout. */
const TIMED_OUT = Symbol('timed out');

/** A Lambda context good enough for Powertools (names, request id, remaining time). */
export const localLambdaContext = (functionName: string, timeoutMs = 30_000): Context => {
  const started = Date.now();
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: crypto.randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, timeoutMs - (Date.now() - started)),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
};

/** Received messages as the SQS records Lambda hands a handler. */
export const lambdaRecordsOf = (
  messages: readonly Message[],
  queueArn: string,
  region: string,
): SQSRecord[] =>
  messages.map((m) => ({
    messageId: m.MessageId ?? '',
    receiptHandle: m.ReceiptHandle ?? '',
    body: m.Body ?? '',
    attributes: {
      ApproximateReceiveCount: m.Attributes?.ApproximateReceiveCount ?? '1',
      SentTimestamp: m.Attributes?.SentTimestamp ?? String(Date.now()),
      SenderId: m.Attributes?.SenderId ?? 'local',
      ApproximateFirstReceiveTimestamp: m.Attributes?.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
    },
    messageAttributes: Object.fromEntries(
      Object.entries(m.MessageAttributes ?? {}).map(([k, v]) => [
        k,
        { dataType: v.DataType ?? 'String', stringValue: v.StringValue },
      ]),
    ),
    md5OfBody: m.MD5OfBody ?? '',
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: region,
  }));

/**
 * A local stand-in for Lambda's SQS event source mapping (ReportBatchItemFailures): long-polls the queue, invokes
 * the handler with a batch, deletes the records that succeeded and leaves the reported failures (or the whole batch
 * when the handler throws) in the queue, untouched. They reappear when their visibility runs out: the backoff the
 * handler set with ChangeMessageVisibility, or the queue's timeout after a crash. The queue's redrive policy moves a
 * record to the DLQ after maxReceiveCount receives, as in AWS.
 */
export class SqsEventSource {
  private running = false;
  private loops: Promise<void>[] = [];
  private inFlight = 0;

  constructor(
    private readonly client: SQSClient,
    private readonly handler: SqsLambda,
    private readonly options: SqsEventSourceOptions,
    private readonly log: Log,
  ) {}

  /** Starts polling, with one loop per concurrent invocation. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.loops = Array.from({ length: Math.max(1, this.options.concurrency ?? 1) }, () => this.poll());
  }

  /** Stops polling and waits for the current batches to finish (or time out). */
  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
  }

  /** True while a batch is being handled. */
  get busy(): boolean {
    return this.inFlight > 0;
  }

  private async poll(): Promise<void> {
    while (this.running) {
      try {
        const out = await this.client.send(
          new ReceiveMessageCommand({
            QueueUrl: this.options.queueUrl,
            MaxNumberOfMessages: this.options.batchSize,
            WaitTimeSeconds: 1,
            MessageSystemAttributeNames: ['All'],
            MessageAttributeNames: ['All'],
          }),
        );
        const messages = out.Messages ?? [];
        if (messages.length === 0) continue;
        this.inFlight += 1;
        try {
          await this.invoke(messages);
        } finally {
          this.inFlight -= 1;
        }
      } catch (error) {
        if (!this.running) return;
        this.log.error('event source poll failed', { source: this.options.name, error: String(error) });
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  }

  private async invoke(messages: Message[]): Promise<void> {
    const records = lambdaRecordsOf(messages, this.options.queueArn, this.options.region);
    let failed: Set<string>;
    try {
      const response = await this.withTimeout(
        this.handler({ Records: records }, localLambdaContext(this.options.name, this.options.timeoutMs)),
      );
      if (response === TIMED_OUT) {
        this.log.warn('invocation timed out; its records return after the visibility timeout', {
          source: this.options.name,
          records: records.length,
        });
        return;
      }
      failed = new Set((response?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
    } catch (error) {
      this.log.warn('handler failed the whole batch', { source: this.options.name, error: String(error) });
      failed = new Set(records.map((r) => r.messageId));
    }
    const done = records.filter((r) => !failed.has(r.messageId));
    if (failed.size > 0)
      this.log.warn('records failed; they return after the visibility timeout', {
        source: this.options.name,
        failed: failed.size,
      });
    if (done.length === 0) return;
    await this.client.send(
      new DeleteMessageBatchCommand({
        QueueUrl: this.options.queueUrl,
        Entries: done.map((r, i) => ({ Id: String(i), ReceiptHandle: r.receiptHandle })),
      }),
    );
  }

  /**
   * Races an invocation against the function timeout. Lambda would freeze a timed-out invocation; here it is left
   * to finish (or hang) in the background, which is what a slow overlapping invocation does to the queue as well.
   */
  private withTimeout<T>(invocation: Promise<T>): Promise<T | typeof TIMED_OUT> {
    const timeoutMs = this.options.timeoutMs;
    if (timeoutMs === undefined) return invocation;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<typeof TIMED_OUT>((resolve) => {
      timer = setTimeout(() => resolve(TIMED_OUT), timeoutMs);
    });
    invocation.catch(() => undefined);
    return Promise.race([invocation, timeout]).finally(() => clearTimeout(timer));
  }
}
