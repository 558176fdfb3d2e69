import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { localLambdaContext } from './sqs-event-source.js';

/** An API Gateway (HTTP API, payload v2) Lambda handler as the local gateway calls it. */
export type HttpLambda = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

const readBody = (req: IncomingMessage): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });

/** Builds the API Gateway v2 event for a Node request; the body is passed base64-encoded, as API Gateway does for binary. */
export const toGatewayEvent = (req: IncomingMessage, body: Buffer): APIGatewayProxyEventV2 => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  const now = new Date();
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: url.pathname,
    rawQueryString: url.search.replace(/^\?/, ''),
    headers,
    queryStringParameters: url.search ? Object.fromEntries(url.searchParams) : undefined,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: 'local',
      http: {
        method: req.method ?? 'GET',
        path: url.pathname,
        protocol: 'HTTP/1.1',
        sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: crypto.randomUUID(),
      routeKey: '$default',
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    body: body.toString('base64'),
    isBase64Encoded: true,
  };
};

/**
 * Serves a Lambda handler over HTTP on 127.0.0.1, the way API Gateway would invoke it. `routes` answer some paths
 * themselves first (the local inspector); each returns true when it did.
 */
export const startHttpGateway = async (
  handler: HttpLambda,
  port: number,
  routes: readonly ((req: IncomingMessage, res: ServerResponse) => boolean)[] = [],
): Promise<{ url: string; server: Server }> => {
  const server = createServer((req, res) => {
    if (routes.some((route) => route(req, res))) return;
    readBody(req)
      .then((body) => handler(toGatewayEvent(req, body), localLambdaContext('ingest')))
      .then((result) => {
        res.writeHead(result.statusCode ?? 200, {
          'content-type': 'application/json',
          ...(result.headers as Record<string, string>),
        });
        res.end(result.body ?? '');
      })
      .catch(() => {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: 'internal_error' }));
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(
              `port ${port} is already in use on 127.0.0.1; stop the other process or set PORT=<free port>`,
            )
          : error,
      ),
    );
    server.listen(port, '127.0.0.1', resolve);
  });
  const { port: bound } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${bound}`, server };
};
