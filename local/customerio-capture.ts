import { appendFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the capture server received. */
export interface CapturedRequest {
  readonly method: string;
  readonly path: string;
  readonly authorization: string | undefined;
  readonly body: unknown;
  readonly receivedAt: string;
}

/** A canned answer: status and JSON body, optional headers (e.g. Retry-After), and a delay before it is sent. */
export interface CapturedAnswer {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  /** Milliseconds to wait before answering (a slow or hanging Customer.io). */
  readonly delayMs?: number;
}

/** A stand-in for Customer.io's Track API on 127.0.0.1 that records exactly what would have been sent. */
export interface CustomerIoCapture {
  readonly url: string;
  readonly requests: CapturedRequest[];
  /** Every Track v2 batch operation received, in order. */
  operations(): Record<string, unknown>[];
  /** Overrides the next responses (tests of 207, 429 with Retry-After, 500, timeouts). */
  respondWith(responder: ((request: CapturedRequest) => CapturedAnswer) | undefined): void;
  close(): Promise<void>;
}

/** Starts the capture server; with `logFile`, appends each batch body as one JSON line. */
export const startCustomerIoCapture = async (port = 0, logFile?: string): Promise<CustomerIoCapture> => {
  const requests: CapturedRequest[] = [];
  let responder: ((request: CapturedRequest) => CapturedAnswer) | undefined;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
      }
      const captured: CapturedRequest = {
        method: req.method ?? '',
        path: req.url ?? '',
        authorization: req.headers.authorization,
        body,
        receivedAt: new Date().toISOString(),
      };
      requests.push(captured);
      if (logFile) appendFileSync(logFile, `${JSON.stringify(captured)}\n`);
      const answer = responder?.(captured) ?? { status: 200, body: {} };
      const send = () => {
        if (res.destroyed) return;
        res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
        res.end(JSON.stringify(answer.body));
      };
      if (answer.delayMs) setTimeout(send, answer.delayMs).unref();
      else send();
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${bound}`,
    requests,
    operations: () =>
      requests.flatMap((r) =>
        r.path === '/api/v2/batch' && typeof r.body === 'object' && r.body !== null && 'batch' in r.body
          ? ((r.body as { batch: Record<string, unknown>[] }).batch ?? [])
          : [],
      ),
    respondWith: (next) => {
      responder = next;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
