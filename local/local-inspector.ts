import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { inspectorHandler, isInspectorPath } from '../shared/inspector/inspector-handler.js';
import { answerInspector } from '../shared/inspector/inspector-http.js';
import { inspectorSources } from '../shared/inspector/inspector-target.js';
import type { DlqName } from '../shared/operations/dead-letter-queues.js';
import type { Log } from '../shared/ports/telemetry.js';
import { LOCAL_DEFAULTS, localShops as localShopsJson } from './local-config.js';

/** A route the local gateway serves beside the ingest Lambda: true when it answered the request. */
export type GatewayRoute = (req: IncomingMessage, res: ServerResponse) => boolean;

/** The shops the local stack knows (SHOPS), the local shop first. */
const localShops = (): string[] => {
  let configured: string[] = [];
  try {
    configured = Object.keys(JSON.parse(localShopsJson()) as Record<string, unknown>);
  } catch {
    configured = [];
  }
  return [...new Set([LOCAL_DEFAULTS.shop, ...configured])];
};

/** `/inspector` on the local gateway (127.0.0.1 only), reading the local stack's table and DLQs. */
export const localInspectorRoute = (
  parts: {
    readonly dynamo: DynamoDBClient;
    readonly tableName: string;
    readonly sqs: SQSClient;
    readonly dlqs: Partial<Record<DlqName, { readonly url: string }>>;
  },
  log: Log,
): GatewayRoute => {
  const handler = inspectorHandler(
    inspectorSources({ label: 'local stack', ...parts, close: () => undefined }, localShops()),
    log,
  );
  return (req, res) => {
    if (!isInspectorPath(new URL(req.url ?? '/', 'http://127.0.0.1').pathname)) return false;
    answerInspector(handler, req, res);
    return true;
  };
};
