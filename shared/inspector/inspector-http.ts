import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { InspectorRequest, InspectorResponse } from './inspector-handler.js';

/** The inspector handler as a function of a Node request. */
export type InspectorHttpHandler = (request: InspectorRequest) => Promise<InspectorResponse>;

/** Answers one Node request with the inspector handler. */
export const answerInspector = (
  handler: InspectorHttpHandler,
  req: IncomingMessage,
  res: ServerResponse,
): void => {
  handler({ method: req.method ?? 'GET', url: req.url ?? '/', host: req.headers.host })
    .then((answer) => {
      res.writeHead(answer.status, answer.headers);
      res.end(req.method === 'HEAD' ? undefined : answer.body);
    })
    .catch(() => {
      res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('inspector error\n');
    });
};

/** Serves the inspector on 127.0.0.1 only (port 0 picks a free one). */
export const serveInspector = async (
  handler: InspectorHttpHandler,
  port: number,
): Promise<{ url: string; server: Server }> => {
  const server = createServer((req, res) => {
    if (!(req.url ?? '').startsWith('/inspector')) {
      res.writeHead(302, { location: '/inspector' });
      res.end();
      return;
    }
    answerInspector(handler, req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const { port: bound } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${bound}/inspector`, server };
};
