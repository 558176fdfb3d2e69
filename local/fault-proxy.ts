import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** The AWS service a local endpoint emulates. */
export type AwsService = 'dynamodb' | 'sqs';

/** One call a Lambda's AWS SDK client made, as the proxy sees it before deciding its fate. */
export interface AwsCall {
  readonly service: AwsService;
  /** The operation from `X-Amz-Target` (`PutItem`, `SendMessage`...). */
  readonly operation: string;
  /** The queue an SQS call names (the JSON protocol's `QueueUrl`), when it names one. */
  readonly queueUrl?: string;
  /** The request's JSON text (keys, items, message bodies), to aim a fault at one record's calls. */
  readonly body: string;
}

/**
 * What goes wrong with one call, and when: `before` the emulator saw the request (nothing was applied), or `after`
 * it applied the request and answered (the answer is lost: the caller cannot tell the write happened).
 * - `throttle`: the service's throttling error (HTTP 400), which the SDK retries with backoff;
 * - `server_error`: HTTP 500 InternalServerError;
 * - `reset`: the connection is reset (a network error);
 * - `hang`: no answer ever comes, so the invocation stops where it is until its function timeout: a crash between
 *   two steps of a worker (every DynamoDB and SQS call is a step boundary).
 */
export interface AwsFault {
  readonly kind: 'throttle' | 'server_error' | 'reset' | 'hang';
  readonly when: 'before' | 'after';
}

/** Decides the fate of each call: a fault, or undefined to let it through. */
export type AwsFaultPlan = (call: AwsCall) => AwsFault | undefined;

/** A running fault proxy in front of one emulator. */
export interface FaultProxy {
  readonly url: string;
  close(): Promise<void>;
}

const THROTTLE_TYPES: Readonly<Record<AwsService, string>> = {
  dynamodb: 'com.amazonaws.dynamodb.v20120810#ThrottlingException',
  sqs: 'com.amazonaws.sqs#ThrottlingException',
};
const SERVER_ERROR_TYPES: Readonly<Record<AwsService, string>> = {
  dynamodb: 'com.amazonaws.dynamodb.v20120810#InternalServerError',
  sqs: 'com.amazonaws.sqs#InternalError',
};

const readBody = (req: IncomingMessage): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });

/** The call a request is: operation from the target header, queue from the JSON body. */
const callOf = (service: AwsService, req: IncomingMessage, body: Buffer): AwsCall => {
  const target = String(req.headers['x-amz-target'] ?? '');
  const operation = target.slice(target.indexOf('.') + 1) || 'unknown';
  const text = body.toString('utf8');
  let queueUrl: string | undefined;
  if (service === 'sqs') {
    try {
      const parsed = JSON.parse(text) as { QueueUrl?: unknown };
      if (typeof parsed.QueueUrl === 'string') queueUrl = parsed.QueueUrl;
    } catch {
      // Not JSON (an older protocol): no queue to report.
    }
  }
  return { service, operation, ...(queueUrl ? { queueUrl } : {}), body: text };
};

/** Answers a request with the fault's error, or breaks or holds its connection. */
const injure = (service: AwsService, fault: AwsFault, res: ServerResponse, held: Set<Socket>): void => {
  if (fault.kind === 'hang') {
    held.add(res.socket as Socket);
    return;
  }
  if (fault.kind === 'reset') {
    res.socket?.destroy();
    return;
  }
  const throttle = fault.kind === 'throttle';
  const body = JSON.stringify({
    __type: throttle ? THROTTLE_TYPES[service] : SERVER_ERROR_TYPES[service],
    message: throttle ? 'Rate of requests exceeds the allowed throughput (injected)' : 'injected',
  });
  res.writeHead(throttle ? 400 : 500, {
    'content-type': 'application/x-amz-json-1.0',
    ...(service === 'sqs'
      ? { 'x-amzn-query-error': throttle ? 'RequestThrottled;Sender' : 'InternalError;Receiver' }
      : {}),
  });
  res.end(body);
};

/**
 * A loopback HTTP proxy in front of a local AWS emulator (dynalite, fauxqs) that injures the calls `plan` picks:
 * before they reach the emulator or after it applied them. The Lambdas' SDK clients are pointed at it, so the
 * faults go through the SDK's own error parsing and retry strategy and then the connector's failure policy,
 * exactly as AWS errors would; no production code path knows about it.
 */
export const startFaultProxy = async (
  service: AwsService,
  upstream: string,
  plan: AwsFaultPlan,
): Promise<FaultProxy> => {
  const target = new URL(upstream);
  const held = new Set<Socket>();
  const server = createServer((req, res) => {
    readBody(req)
      .then((body) => {
        const fault = plan(callOf(service, req, body));
        if (fault?.when === 'before') return injure(service, fault, res, held);
        const forward = httpRequest(
          {
            hostname: target.hostname,
            port: target.port,
            method: req.method,
            path: req.url,
            headers: { ...req.headers, host: target.host },
          },
          (upstreamRes) => {
            readBody(upstreamRes).then(
              (answer) => {
                if (fault) return injure(service, fault, res, held);
                res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
                res.end(answer);
              },
              () => res.socket?.destroy(),
            );
          },
        );
        forward.on('error', () => res.socket?.destroy());
        forward.end(body);
      })
      .catch(() => res.socket?.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        for (const socket of held) socket.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
