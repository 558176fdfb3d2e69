import { parseArgs } from 'node:util';
import { LOCAL_DEFAULTS } from '../local/local-config.js';
import { inspectorHandler } from '../shared/inspector/inspector-handler.js';
import { serveInspector } from '../shared/inspector/inspector-http.js';
import {
  type InspectorTarget,
  inspectorSources,
  localTarget,
  stackTarget,
} from '../shared/inspector/inspector-target.js';
import { consoleLog } from '../shared/runtime/telemetry.js';

const USAGE = `usage: npm run inspector -- [--stack <name> [--profile <p>] [--region <r>]] [--local-data <dir>]
                             [--shop <domain>]... [--port <n>]

Serves the inspector on 127.0.0.1 (read-only): one shopper's timeline from the connector's activity record, identity
graph, cart checks and dead letters.
  --stack <name>      a deployed stack: table and DLQs from its outputs, your AWS credentials (--profile, --region)
  --local-data <dir>  a running local stack (default: LOCAL_DATA_DIR or .local-data; \`npm start\` serves it too)
  --shop <domain>     shops offered in the search form (default: SHOPS keys, else the local shop)
  --port <n>          port on 127.0.0.1 (default: a free one)`;

/** `npm run inspector`: the inspector page against a deployed or a running local stack. */
const main = async (): Promise<void> => {
  const { values } = parseArgs({
    options: {
      stack: { type: 'string' },
      profile: { type: 'string' },
      region: { type: 'string' },
      'local-data': { type: 'string' },
      shop: { type: 'string', multiple: true },
      port: { type: 'string', default: '0' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error('--port must be 0-65535');
  const target: InspectorTarget = values.stack
    ? await stackTarget({ stack: values.stack, profile: values.profile, region: values.region })
    : localTarget(values['local-data'] ?? process.env.LOCAL_DATA_DIR ?? LOCAL_DEFAULTS.dataDir);
  const configured = process.env.SHOPS ? Object.keys(JSON.parse(process.env.SHOPS) as object) : [];
  const shops = values.shop ?? (configured.length > 0 ? configured : [LOCAL_DEFAULTS.shop]);
  const handler = inspectorHandler(inspectorSources(target, shops), consoleLog('inspector', 'warn'));
  const { url, server } = await serveInspector(handler, port);
  process.stdout.write(
    `Inspector for ${target.label}\n  ${url}\nRead-only, 127.0.0.1 only. Ctrl+C stops it.\n`,
  );
  const stop = () => {
    server.close(() => {
      target.close();
      process.exit(0);
    });
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
};

main().catch((error: unknown) => {
  process.stderr.write(
    `inspector failed: ${error instanceof Error ? error.message : String(error)}\n\n${USAGE}\n`,
  );
  process.exit(1);
});
