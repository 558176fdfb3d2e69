import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateQueueCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { type FauxqsServer, startFauxqs } from 'fauxqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpsIo } from '../../../shared/operations/commands/command.js';
import { runOps } from '../../../shared/operations/ops-cli.js';
import { resolveTarget, TargetError } from '../../../shared/operations/ops-target.js';

const STACK = 'Connector';
const CART_CHECK = 'Connector-CartRecovery-8D077354';

const body = (req: IncomingMessage): Promise<string> =>
  new Promise((resolve) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString('utf8')));
    req.on('end', () => resolve(text));
  });

/**
 * The AWS target against real local peers where they exist (fauxqs for SQS) and a stand-in on 127.0.0.1 for
 * CloudFormation and Lambda, which have no emulator here. The SDK is pointed at them with the standard
 * AWS_ENDPOINT_URL_<SERVICE> variables, so the code under test is exactly what runs against AWS.
 */
describe('AWS target: queues from the stack outputs (CloudFormation and Lambda stand-ins, fauxqs for SQS)', () => {
  let fauxqs: FauxqsServer;
  let aws: Server;
  let sqs: SQSClient;
  const invocations: { path: string; type: string | undefined; payload: string }[] = [];
  const outputs: Record<string, string> = {};
  const ENDPOINT_VARIABLES = [
    'AWS_ENDPOINT_URL_CLOUDFORMATION',
    'AWS_ENDPOINT_URL_LAMBDA',
    'AWS_ENDPOINT_URL_SQS',
    'AWS_ACCESS_KEY_ID',
    'AWS_SECRET_ACCESS_KEY',
  ] as const;
  const saved = Object.fromEntries(ENDPOINT_VARIABLES.map((name) => [name, process.env[name]]));

  beforeAll(async () => {
    fauxqs = await startFauxqs({ port: 0, host: '127.0.0.1', logger: false });
    const sqsEndpoint = `http://127.0.0.1:${fauxqs.port}`;
    sqs = new SQSClient({
      region: 'eu-west-1',
      endpoint: sqsEndpoint,
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
    });
    for (const [output, name] of [
      ['InboxQueueUrl', 'prod-inbox'],
      ['InboxDlqUrl', 'prod-inbox-dlq'],
      ['OutboxQueueUrl', 'prod-outbox'],
      ['OutboxDlqUrl', 'prod-outbox-dlq'],
      ['CartCheckDlqUrl', 'prod-cart-check-dlq'],
    ] as const) {
      outputs[output] = (await sqs.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl ?? '';
    }
    aws = createServer(async (req, res) => {
      const text = await body(req);
      if (req.url?.startsWith('/2015-03-31/functions/')) {
        invocations.push({
          path: req.url,
          type: req.headers['x-amz-invocation-type'] as string,
          payload: text,
        });
        res.writeHead(202, { 'content-type': 'application/json' });
        res.end('');
        return;
      }
      const form = new URLSearchParams(text);
      const member = (fields: Record<string, string>) =>
        `<member>${Object.entries(fields)
          .map(([k, v]) => `<${k}>${v}</${k}>`)
          .join('')}</member>`;
      if (form.get('StackName') !== STACK) {
        res.writeHead(400, { 'content-type': 'text/xml' });
        res.end(
          `<ErrorResponse><Error><Type>Sender</Type><Code>ValidationError</Code><Message>Stack with id ${form.get('StackName')} does not exist</Message></Error><RequestId>r</RequestId></ErrorResponse>`,
        );
        return;
      }
      const action = form.get('Action');
      const result =
        action === 'DescribeStacks'
          ? `<Stacks>${member({
              StackName: STACK,
              StackStatus: 'UPDATE_COMPLETE',
              CreationTime: '2026-01-01T00:00:00Z',
              Outputs: Object.entries(outputs)
                .map(([k, v]) => member({ OutputKey: k, OutputValue: v }))
                .join(''),
            })}</Stacks>`
          : `<StackResourceSummaries>${[
              ['ProcessFunction4423FA37', 'Connector-Process', 'AWS::Lambda::Function'],
              ['CartRecoveryCartCheckFunction1894EEE8', CART_CHECK, 'AWS::Lambda::Function'],
            ]
              .map(([logical, physical, type]) =>
                member({
                  LogicalResourceId: logical ?? '',
                  PhysicalResourceId: physical ?? '',
                  ResourceType: type ?? '',
                  LastUpdatedTimestamp: '2026-01-01T00:00:00Z',
                  ResourceStatus: 'CREATE_COMPLETE',
                }),
              )
              .join('')}</StackResourceSummaries>`;
      res.writeHead(200, { 'content-type': 'text/xml' });
      res.end(
        `<${action}Response xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><${action}Result>${result}</${action}Result><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></${action}Response>`,
      );
    });
    await new Promise<void>((r) => aws.listen(0, '127.0.0.1', r));
    const awsEndpoint = `http://127.0.0.1:${(aws.address() as AddressInfo).port}`;
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_CLOUDFORMATION: awsEndpoint,
      AWS_ENDPOINT_URL_LAMBDA: awsEndpoint,
      AWS_ENDPOINT_URL_SQS: sqsEndpoint,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
    });
  });
  afterAll(async () => {
    for (const name of ENDPOINT_VARIABLES) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
    sqs.destroy();
    await new Promise<void>((r) => aws.close(() => r()));
    await fauxqs.stop();
  });

  const ops = async (args: string[]) => {
    let out = '';
    let err = '';
    const io: OpsIo = {
      out: (t) => (out += t),
      err: (t) => (err += t),
      interactive: false,
      ask: async () => '',
      now: () => new Date(),
      target: (options) => resolveTarget(options, {}),
    };
    return { code: await runOps([...args, '--stack', STACK, '--region', 'eu-west-1'], io), out, err };
  };

  it('finds every DLQ and source queue from the outputs, and names what an older stack lacks', async () => {
    const target = await resolveTarget({ stack: STACK, region: 'eu-west-1' });
    try {
      expect(target.mode).toBe('aws');
      expect(target.label).toBe('stack Connector (eu-west-1)');
      expect(target.moveTasks).toBe(true);
      expect(target.dlqs.inbox?.url).toBe(outputs.InboxDlqUrl);
      expect(target.dlqs['cart-check']?.url).toBe(outputs.CartCheckDlqUrl);
      expect(target.queues).toEqual({
        inbox: { url: outputs.InboxQueueUrl },
        outbox: { url: outputs.OutboxQueueUrl },
      });
      expect(target.dlqs.scheduler).toBeUndefined();
      expect(target.missing.scheduler).toContain('SchedulerDlqUrl not found');
      expect(await target.arnOf({ url: outputs.InboxDlqUrl ?? '' })).toMatch(/:prod-inbox-dlq$/);
    } finally {
      target.close();
    }
  });

  it('says which stack it could not read', async () => {
    await expect(resolveTarget({ stack: 'Nope', region: 'eu-west-1' })).rejects.toThrow(TargetError);
    await expect(resolveTarget({ stack: 'Nope', region: 'eu-west-1' })).rejects.toThrow(
      /cannot read stack Nope/,
    );
  });

  it('refuses --profile or --region without --stack', async () => {
    await expect(resolveTarget({ region: 'eu-west-1' }, {})).rejects.toThrow(/go with --stack/);
  });

  it('stats and a filtered redrive work on the deployed stack through the same commands', async () => {
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: outputs.InboxDlqUrl,
        MessageBody:
          '{"version":1,"source":"shopify","topic":"orders/create","shop":"s.myshopify.com","deliveryId":"aws-1","receivedAt":"2026-11-28T10:00:00.000Z","signed":true,"body":"{}"}',
        MessageAttributes: { failure_code: { DataType: 'String', StringValue: 'payload_invalid' } },
      }),
    );
    const stats = await ops(['stats', '--dlq', 'inbox', '--dlq', 'scheduler']);
    expect(stats.code).toBe(0);
    expect(stats.out).toContain('DLQs of stack Connector (eu-west-1)');
    expect(stats.out).toMatch(/inbox\s+1\s+0\s+\S+\s+inbox queue\s+payload_invalid 1/);
    expect(stats.out).toMatch(/scheduler\s+n\/a: stack output SchedulerDlqUrl not found/);

    const redrive = await ops(['redrive', '--dlq', 'inbox', '--id', 'aws-1']);
    expect(redrive.code).toBe(0);
    expect(redrive.out).toContain('redriven 1 of 1');
    const moved = await ops(['stats', '--dlq', 'inbox', '--no-receive', '--json']);
    expect(JSON.parse(moved.out).dlqs[0].depth.visible).toBe(0);
  });

  it('re-runs a cart check with Lambda Invoke (Event), on the function the record names or the stack holds', async () => {
    const record = (functionArn?: string) =>
      JSON.stringify({
        version: '1.0',
        timestamp: '2026-11-28T11:00:00.000Z',
        requestContext: {
          requestId: 'r',
          condition: 'RetriesExhausted',
          approximateInvokeCount: 3,
          functionArn,
        },
        requestPayload: { shop: 's.myshopify.com', cart_token: 'c-1', step: 2 },
        responsePayload: { errorType: 'Error', errorMessage: 'boom' },
      });
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: outputs.CartCheckDlqUrl,
        MessageBody: record('arn:aws:lambda:eu-west-1:123456789012:function:Named-CartCheck:$LATEST'),
      }),
    );
    // A check cart-check parked itself: the body is the input, the function comes from the stack's resources.
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: outputs.CartCheckDlqUrl,
        MessageBody: '{"shop":"s.myshopify.com","cart_token":"c-2","step":1}',
        MessageAttributes: {
          failure_code: { DataType: 'String', StringValue: 'internal_error' },
          origin: { DataType: 'String', StringValue: 'cart-check' },
        },
      }),
    );
    const out = await ops(['redrive', '--dlq', 'cart-check']);
    expect(out.code).toBe(0);
    expect(out.out).toContain('Lambda Invoke (InvocationType Event)');
    expect(out.out).toContain('redriven 2 of 2');
    const calls = invocations
      .map((i) => [decodeURIComponent(i.path), i.type, JSON.parse(i.payload)] as const)
      .sort((a, b) => String(a[2].cart_token).localeCompare(String(b[2].cart_token)));
    expect(calls).toEqual([
      [
        '/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:Named-CartCheck/invocations',
        'Event',
        { shop: 's.myshopify.com', cart_token: 'c-1', step: 2 },
      ],
      [
        `/2015-03-31/functions/${CART_CHECK}/invocations`,
        'Event',
        { shop: 's.myshopify.com', cart_token: 'c-2', step: 1 },
      ],
    ]);
  });
});
