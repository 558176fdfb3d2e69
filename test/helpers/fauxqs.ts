import { SQSClient } from '@aws-sdk/client-sqs';
import { type FauxqsServer, startFauxqs } from 'fauxqs';
import { notifyStackStopped, readDeadLetters } from '../../local/dead-letter-audit.js';

/** A real SQS emulator (fauxqs) on 127.0.0.1 with an SQS client pointed at it. */
export interface TestQueues {
  readonly server: FauxqsServer;
  readonly sqs: SQSClient;
  /** Creates a standard queue (names must be unique per server) and returns its URL and ARN. */
  queue(name: string, attributes?: Record<string, string>): { url: string; arn: string };
  close(): Promise<void>;
}

/**
 * Starts fauxqs in-process on a free port. Queues named like a DLQ (`…dlq`) are swept as it closes, like the local
 * stack's: a message without a reason left in one fails the test file (test/setup/dead-letter-sweep.ts).
 */
export const startTestQueues = async (): Promise<TestQueues> => {
  const server = await startFauxqs({ port: 0, host: '127.0.0.1', logger: false });
  const sqs = new SQSClient({
    region: 'us-east-1',
    endpoint: `http://127.0.0.1:${server.port}`,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
  const names: string[] = [];
  return {
    server,
    sqs,
    queue: (name, attributes = {}) => {
      names.push(name);
      const created = server.createQueue(name, { attributes });
      return { url: created.queueUrl, arn: created.queueArn };
    },
    close: async () => {
      sqs.destroy();
      notifyStackStopped({
        deadLetters: readDeadLetters(
          server,
          names.filter((n) => /dlq$/i.test(n)),
        ),
      });
      await server.stop();
    },
  };
};
