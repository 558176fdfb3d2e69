import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyFailure } from '../../../shared/failures/classify-failure.js';
import { AWS_CALL_TIMEOUTS, awsClientOptions } from '../../../shared/runtime/aws-clients.js';

/**
 * A dependency that accepts the connection and never answers (a half-open socket), on 127.0.0.1: the call must end
 * on its own as a transient failure of that record, not hold the invocation (and its batch-mates) until the
 * function timeout.
 */
describe('AWS clients: a call that never gets an answer', () => {
  let server: Server;
  const held = new Set<Socket>();
  let url = '';
  beforeAll(async () => {
    server = createServer((req) => {
      held.add(req.socket);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    for (const socket of held) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('sets a per-attempt limit on every client, well under any function timeout', () => {
    expect(awsClientOptions('us-east-1', undefined)).toMatchObject({ requestHandler: AWS_CALL_TIMEOUTS });
    expect(AWS_CALL_TIMEOUTS.requestTimeout).toBeLessThan(10_000);
  });

  it('times out, after the SDK retries, as a transient dependency failure', async () => {
    // The production options with short limits, so the test does not wait 3 × 5 s.
    const client = new DynamoDBClient(
      awsClientOptions('us-east-1', url, { connectionTimeout: 200, requestTimeout: 300 }),
    );
    const failure = await client.send(new GetItemCommand({ TableName: 't', Key: { pk: { S: 'a' } } })).then(
      () => undefined,
      (error: unknown) => error,
    );
    client.destroy();
    expect(failure).toBeInstanceOf(Error);
    expect(classifyFailure(failure)).toMatchObject({ class: 'transient', code: 'dependency_failed' });
    // Every attempt reached the server and was abandoned: the SDK's own retries ran.
    expect(held.size).toBeGreaterThanOrEqual(2);
  });
});
