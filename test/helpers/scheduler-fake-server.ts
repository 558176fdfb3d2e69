import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the fake Scheduler received. */
interface SchedulerRequest {
  readonly method: string;
  readonly name: string;
  readonly query: Readonly<Record<string, string>>;
  readonly body: Record<string, unknown> | undefined;
}

/** A running fake Scheduler. */
export interface SchedulerFakeServer {
  readonly endpoint: string;
  readonly requests: SchedulerRequest[];
  /** Schedules by `<group>/<name>`, as their CreateSchedule bodies. */
  readonly schedules: Map<string, Record<string, unknown>>;
  /** Makes the next request fail with this status and error type (e.g. 500 InternalServerException). */
  failNext(status: number, errorType: string): void;
  close(): Promise<void>;
}

const readBody = async (req: IncomingMessage): Promise<string> => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
};

const reply = (res: ServerResponse, status: number, body: unknown, errorType?: string): void => {
  res.writeHead(status, {
    'content-type': 'application/json',
    ...(errorType ? { 'x-amzn-errortype': errorType } : {}),
  });
  res.end(JSON.stringify(body));
};

/**
 * A fake EventBridge Scheduler on 127.0.0.1, because no Scheduler emulator exists on npm. It speaks the REST-JSON
 * protocol the real `SchedulerClient` uses for `POST/GET/DELETE /schedules/{Name}` (group in the body for POST,
 * in `?groupName=` otherwise), with errors in the `x-amzn-errortype` header: a duplicate create is a 409
 * ConflictException, a missing schedule a 404 ResourceNotFoundException. It keeps every request for assertions.
 */
export const startSchedulerFakeServer = async (): Promise<SchedulerFakeServer> => {
  const requests: SchedulerRequest[] = [];
  const schedules = new Map<string, Record<string, unknown>>();
  let failure: { status: number; errorType: string } | undefined;

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const match = /^\/schedules\/([^/]+)$/.exec(url.pathname);
      const text = await readBody(req);
      const body = text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
      const query = Object.fromEntries(url.searchParams.entries());
      if (!match?.[1]) return reply(res, 404, { Message: 'unknown route' }, 'ResourceNotFoundException');
      const name = decodeURIComponent(match[1]);
      requests.push({ method: req.method ?? '', name, query, body });
      if (failure) {
        const { status, errorType } = failure;
        failure = undefined;
        return reply(res, status, { Message: 'injected failure' }, errorType);
      }
      const group = String(body?.GroupName ?? query.groupName ?? 'default');
      const key = `${group}/${name}`;
      if (req.method === 'POST') {
        if (schedules.has(key))
          return reply(res, 409, { Message: `Schedule ${name} already exists.` }, 'ConflictException');
        schedules.set(key, body ?? {});
        return reply(res, 200, { ScheduleArn: `arn:aws:scheduler:us-east-1:000000000000:schedule/${key}` });
      }
      const existing = schedules.get(key);
      if (!existing)
        return reply(res, 404, { Message: `Schedule ${name} does not exist.` }, 'ResourceNotFoundException');
      if (req.method === 'DELETE') {
        schedules.delete(key);
        return reply(res, 200, {});
      }
      return reply(res, 200, {
        ...existing,
        Name: name,
        Arn: `arn:aws:scheduler:us-east-1:000000000000:schedule/${key}`,
      });
    })().catch((error: unknown) => reply(res, 500, { Message: String(error) }, 'InternalServerException'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    schedules,
    failNext: (status, errorType) => {
      failure = { status, errorType };
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};
