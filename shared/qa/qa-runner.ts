import { type CheckResult, evaluateCheck, type QaCheck, whereToLook } from './qa-checks.js';
import type { QaContext } from './qa-context.js';
import type { Destination, QaPersonRef } from './qa-destination.js';
import { QA_SCENARIOS, type QaScenario } from './qa-scenarios.js';
import { SECRET_VARIABLES } from './qa-sender.js';

/** How a scenario ended. */
type ScenarioStatus = 'pass' | 'fail' | 'manual' | 'not run';

/** One scenario's report. */
export interface ScenarioReport {
  readonly id: string;
  readonly title: string;
  readonly shouldBeTrue: string;
  readonly status: ScenarioStatus;
  readonly who?: QaPersonRef;
  readonly results: readonly CheckResult[];
  /** Why it did not run, or what failed while sending. */
  readonly detail?: string;
}

/** How to run the plan. */
export interface QaRunOptions {
  /** Where to check; undefined: print exactly where to look in Customer.io instead. */
  readonly destination?: Destination;
  /** Scenario ids to run (default: all). */
  readonly only?: readonly string[];
  /** How long a scenario's checks may take once its deliveries are sent (cart steps add their wait). */
  readonly timeoutMs: number;
  readonly pollMs?: number;
  readonly out: (text: string) => void;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const checkUntilSettled = async (
  checks: readonly QaCheck[],
  who: QaPersonRef,
  destination: Destination,
  options: QaRunOptions,
  now: () => number,
): Promise<CheckResult[]> => {
  const waitFor = Math.max(0, ...checks.map((c) => (c.kind === 'no-event' ? c.notBefore - now() : 0)));
  const deadline = now() + options.timeoutMs + waitFor;
  for (;;) {
    const person = await destination.person(who);
    const verdicts = checks.map((check) => ({ check, ...evaluateCheck(check, person, now()) }));
    const failedForGood = verdicts.some((v) => !v.ok && v.final);
    const settled = verdicts.every((v) => v.ok && (v.final || v.check.kind === 'attribute'));
    if (failedForGood || settled || now() > deadline) {
      return verdicts.map((v) => ({
        says: v.check.says,
        status: v.ok ? 'pass' : 'fail',
        detail:
          v.ok || v.final
            ? v.detail
            : `${v.detail} (gave up after ${Math.round((deadline - now() + options.timeoutMs) / 1000)} s)`,
      }));
    }
    await sleep(options.pollMs ?? 500);
  }
};

const manualResults = (checks: readonly QaCheck[], who: QaPersonRef, why: string): CheckResult[] =>
  checks.map((check) => ({
    says: check.says,
    status: 'manual',
    detail: `${why}: ${whereToLook(check, who)}`,
  }));

const statusOf = (results: readonly CheckResult[]): ScenarioStatus =>
  results.some((r) => r.status === 'fail')
    ? 'fail'
    : results.some((r) => r.status === 'manual')
      ? 'manual'
      : 'pass';

/**
 * Runs the QA plan: sends every scenario's deliveries first, then checks them all at once (so the cart recovery waits
 * overlap), against the destination view, or prints exactly where to look in Customer.io when there is none.
 */
export const runQaPlan = async (ctx: QaContext, options: QaRunOptions): Promise<ScenarioReport[]> => {
  const now = () => ctx.clock().getTime();
  const chosen: QaScenario[] = QA_SCENARIOS.filter((s) => !options.only || options.only.includes(s.id));
  const sent = await Promise.all(
    chosen.map(async (scenario) => {
      const missing = scenario.needs.filter((platform) => !ctx.sender.can(platform));
      if (missing.length > 0) {
        return {
          scenario,
          error: `not run: set ${missing.map((p) => SECRET_VARIABLES[p]).join(', ')}`,
          notRun: true,
        };
      }
      try {
        return { scenario, outcome: await scenario.run(ctx) };
      } catch (error) {
        return { scenario, error: error instanceof Error ? error.message : String(error), notRun: false };
      }
    }),
  );
  return Promise.all(
    sent.map(async (entry): Promise<ScenarioReport> => {
      const { scenario } = entry;
      const base = { id: scenario.id, title: scenario.title, shouldBeTrue: scenario.shouldBeTrue };
      if (!('outcome' in entry) || !entry.outcome) {
        return { ...base, status: entry.notRun ? 'not run' : 'fail', results: [], detail: entry.error };
      }
      const { who, checks, manual = [] } = entry.outcome;
      const destination = options.destination;
      const automatic = destination
        ? await checkUntilSettled(checks, who, destination, options, now)
        : manualResults(checks, who, 'no App API key (CIO_APP_API_KEY): look in Customer.io');
      const results = [
        ...automatic,
        ...manualResults(
          manual,
          who,
          'the first cart recovery step is unknown (--cart-step-seconds): look in Customer.io',
        ),
      ];
      return { ...base, status: statusOf(results), who, results };
    }),
  );
};

const MARKS: Readonly<Record<CheckResult['status'], string>> = { pass: '✓', fail: '✗', manual: '?' };
const LABELS: Readonly<Record<ScenarioStatus, string>> = {
  pass: 'PASS',
  fail: 'FAIL',
  manual: 'CHECK BY HAND',
  'not run': 'NOT RUN',
};

/** The reports as a table with each check under its scenario. */
export const renderReports = (reports: readonly ScenarioReport[]): string => {
  const lines: string[] = [];
  reports.forEach((report, index) => {
    lines.push(
      `${String(index + 1).padStart(2)}. ${LABELS[report.status].padEnd(13)} ${report.title} — ${report.shouldBeTrue}`,
    );
    if (report.who) lines.push(`      person: ${report.who.email} (customer id ${report.who.id})`);
    if (report.detail) lines.push(`      ${report.detail}`);
    for (const result of report.results)
      lines.push(`      ${MARKS[result.status]} ${result.says}: ${result.detail}`);
  });
  const count = (status: ScenarioStatus) => reports.filter((r) => r.status === status).length;
  lines.push(
    '',
    `${count('pass')} passed, ${count('fail')} failed, ${count('manual')} to check by hand, ${count('not run')} not run`,
  );
  return `${lines.join('\n')}\n`;
};

/** 0 when every check passed; 1 when one failed; 2 when none failed but some were left to check by hand or not run. */
export const exitCodeOf = (reports: readonly ScenarioReport[]): number => {
  if (reports.length === 0 || reports.some((r) => r.status === 'fail')) return 1;
  return reports.every((r) => r.status === 'pass') ? 0 : 2;
};
