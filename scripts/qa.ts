import { parseArgs } from 'node:util';
import { runLocalQa, runMark } from '../local/qa-local.js';
import { APP_API_BASE_URLS, appApiDestination } from '../shared/qa/customerio-app-api.js';
import { exitCodeOf, renderReports, runQaPlan, type ScenarioReport } from '../shared/qa/qa-runner.js';
import { QA_SCENARIOS } from '../shared/qa/qa-scenarios.js';
import { QaSender } from '../shared/qa/qa-sender.js';

const USAGE = `usage: npm run qa -- [--url <deployed api> --shop <domain>] [--only <id,id>] [--keep]
                      [--cart-step-seconds <n>] [--timeout <seconds>]

Runs the QA plan (docs/qa.md) with marked test people (qa+<run>-<scenario>@example.com, test orders) and checks each
scenario. Without --url: on a local stack started here, checked against the local Customer.io capture.
With --url: against a deployed stack, signing with QA_SHOPIFY_SECRET, QA_RECHARGE_SECRET, QA_JUDGEME_SECRET,
QA_STOREFRONT_KEY and QA_STOREFRONT_ORIGIN; checked through Customer.io's App API when CIO_APP_API_KEY is set
(CIO_REGION us|eu), otherwise it prints exactly where to look in Customer.io.
Scenarios: ${QA_SCENARIOS.map((s) => s.id).join(', ')}.
Exit status: 0 every check passed, 1 a check failed, 2 some left to check by hand or not run.`;

const remote = async (values: Record<string, string | boolean | undefined>): Promise<ScenarioReport[]> => {
  const url = String(values.url);
  const shop = typeof values.shop === 'string' ? values.shop.toLowerCase() : '';
  if (!shop) throw new Error('--shop <domain> is needed with --url');
  const env = process.env;
  const storefront =
    env.QA_STOREFRONT_KEY && env.QA_STOREFRONT_ORIGIN
      ? { key: env.QA_STOREFRONT_KEY, origin: env.QA_STOREFRONT_ORIGIN }
      : undefined;
  const sender = new QaSender(url, shop, {
    ...(env.QA_SHOPIFY_SECRET ? { shopify: env.QA_SHOPIFY_SECRET } : {}),
    ...(env.QA_RECHARGE_SECRET ? { recharge: env.QA_RECHARGE_SECRET } : {}),
    ...(env.QA_JUDGEME_SECRET ? { judgeme: env.QA_JUDGEME_SECRET } : {}),
    ...(storefront ? { storefront } : {}),
  });
  const region = env.CIO_REGION === 'eu' ? 'eu' : 'us';
  const destination = env.CIO_APP_API_KEY
    ? appApiDestination({ apiKey: env.CIO_APP_API_KEY, baseUrl: APP_API_BASE_URLS[region] })
    : undefined;
  const run = runMark();
  let n = 0;
  const base = String(Date.now()).slice(-9);
  const stepSeconds =
    typeof values['cart-step-seconds'] === 'string' ? Number(values['cart-step-seconds']) : undefined;
  process.stdout.write(
    `QA run ${run} against ${url} (shop ${shop}), checked ${destination ? `through the ${destination.name} (${region})` : 'by hand in Customer.io (no CIO_APP_API_KEY)'}\n`,
  );
  return runQaPlan(
    {
      run,
      sender,
      clock: () => new Date(),
      ...(stepSeconds !== undefined && Number.isFinite(stepSeconds) ? { firstStepSeconds: stepSeconds } : {}),
      next: () => {
        n += 1;
        return `9${base}${String(n).padStart(3, '0')}`;
      },
    },
    {
      ...(destination ? { destination } : {}),
      ...(typeof values.only === 'string' ? { only: values.only.split(',') } : {}),
      // Customer.io shows activity within seconds to a minute; the App API allows 10 requests a second.
      timeoutMs: Number(values.timeout ?? 120) * 1000,
      pollMs: 3_000,
      out: (text) => process.stdout.write(text),
    },
  );
};

/** `npm run qa`: the seed's QA plan as one command. */
const main = async (): Promise<number> => {
  const { values } = parseArgs({
    options: {
      url: { type: 'string' },
      shop: { type: 'string' },
      only: { type: 'string' },
      keep: { type: 'boolean' },
      'cart-step-seconds': { type: 'string' },
      timeout: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (values.url) {
    const reports = await remote(values);
    process.stdout.write(renderReports(reports));
    return exitCodeOf(reports);
  }
  const { reports, exitCode, stack } = await runLocalQa({
    ...(values.only ? { only: values.only.split(',') } : {}),
    out: (text) => process.stdout.write(text),
    keep: values.keep === true,
  });
  process.stdout.write(renderReports(reports));
  if (stack) {
    const links = reports.flatMap((r) =>
      r.who ? [`  ${stack.inspectorUrl}?q=${encodeURIComponent(r.who.email)}`] : [],
    );
    process.stdout.write(
      `\nThe local stack stays up (--keep): look at each person in the inspector\n${links.join('\n')}\nCtrl+C stops it.\n`,
    );
    await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
    await stack.stop();
  }
  return exitCode;
};

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `qa failed: ${error instanceof Error ? error.message : String(error)}\n\n${USAGE}\n`,
    );
    process.exit(1);
  },
);
