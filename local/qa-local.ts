import { silentLog } from '../shared/ports/telemetry.js';
import type { QaContext } from '../shared/qa/qa-context.js';
import { captureDestination } from '../shared/qa/qa-destination.js';
import { exitCodeOf, runQaPlan, type ScenarioReport } from '../shared/qa/qa-runner.js';
import { QaSender } from '../shared/qa/qa-sender.js';
import { LOCAL_DEFAULTS, LOCAL_PLATFORM_SECRETS, localShopifySecret } from './local-config.js';
import { type LocalStack, startLocalStack } from './local-stack.js';

/** Cart recovery steps of the QA stack: 3 s and 6 s of quiet, so abandoned checkouts show within the run. */
const QA_STEPS_MINUTES = '0.05,0.1';
const QA_FIRST_STEP_SECONDS = 3;

/** A run's mark: short, lower-case, unique enough per run. */
export const runMark = (): string => `r${Date.now().toString(36)}`;

/** A QA context on a local stack, signing with the local secrets. */
export const localQaContext = (stack: LocalStack, run: string): QaContext => {
  let n = 0;
  const base = String(Date.now()).slice(-9);
  return {
    run,
    sender: new QaSender(stack.apiUrl, LOCAL_DEFAULTS.shop, {
      shopify: localShopifySecret(),
      recharge: LOCAL_PLATFORM_SECRETS.recharge.clientSecrets[0],
      judgeme: LOCAL_PLATFORM_SECRETS.judgeme.secrets[0],
      storefront: { key: LOCAL_DEFAULTS.storefrontKey, origin: LOCAL_DEFAULTS.storefrontOrigin },
    }),
    clock: () => new Date(),
    firstStepSeconds: QA_FIRST_STEP_SECONDS,
    next: () => {
      n += 1;
      return `9${base}${String(n).padStart(3, '0')}`;
    },
  };
};

/** Starts a local stack in this process with short cart recovery steps (the stack the QA plan runs on). */
export const startQaStack = (): Promise<LocalStack> =>
  startLocalStack({
    log: silentLog,
    visibilityTimeoutSeconds: 1,
    retry: { maxAttempts: 3, baseSeconds: 1, maxSeconds: 2 },
    cartRecoveryStepsMinutes: QA_STEPS_MINUTES,
  });

/**
 * `npm run qa` without --url: the QA plan on a local stack started in this process (its own in-memory data, short
 * recovery steps), checked against the local Customer.io capture. Returns the reports and the exit code.
 */
export const runLocalQa = async (options: {
  readonly only?: readonly string[];
  readonly out: (text: string) => void;
  /** Keep the stack running afterwards (to look at the people in the inspector); the caller stops it. */
  readonly keep?: boolean;
}): Promise<{ reports: ScenarioReport[]; exitCode: number; stack?: LocalStack }> => {
  const stack = await startQaStack();
  try {
    const capture = stack.capture;
    if (!capture) throw new Error('the local stack has no Customer.io capture');
    const run = runMark();
    options.out(
      `QA run ${run} on a local stack (${stack.apiUrl}), checked against the local Customer.io capture\n`,
    );
    const reports = await runQaPlan(localQaContext(stack, run), {
      destination: captureDestination(() => capture.operations()),
      ...(options.only ? { only: options.only } : {}),
      timeoutMs: 30_000,
      out: options.out,
    });
    return { reports, exitCode: exitCodeOf(reports), ...(options.keep ? { stack } : {}) };
  } finally {
    if (!options.keep) await stack.stop();
  }
};
