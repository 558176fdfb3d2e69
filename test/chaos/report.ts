import type { ChaosResult } from './run-chaos.js';

const table = (entries: Readonly<Record<string, number>>): string[] =>
  Object.entries(entries)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([label, count]) => `    ${label.padEnd(44)} ${count}`);

const total = (entries: Readonly<Record<string, number>>): number =>
  Object.values(entries).reduce((sum, n) => sum + n, 0);

/** True when the run holds: nothing lost, no duplicate id, nothing parked without a reason, nothing unexpected. */
export const passed = (result: ChaosResult): boolean =>
  result.drained &&
  result.verdict.lost.length === 0 &&
  result.verdict.duplicateIds.length === 0 &&
  result.verdict.parkedWithoutReason.length === 0 &&
  result.verdict.unexpected.length === 0 &&
  result.driver.refused.length === 0 &&
  result.driver.gaveUp.length === 0;

/** The figures of a run, as `npm run chaos` prints them. */
export const formatReport = (result: ChaosResult): string => {
  const { verdict, driver } = result;
  const parked = total(verdict.parkedWithReason);
  const lines = [
    `chaos run: seed ${result.options.seed}, ${result.options.deliveries} deliveries over ${result.options.durationSeconds} s`,
    `  stories: ${Object.entries(result.stories)
      .map(([kind, n]) => `${kind} ${n}`)
      .join(', ')}`,
    `  deliveries planned ${result.planned.deliveries} (${result.planned.copies} with duplicates); HTTP requests ${driver.requests} (platform retries included)`,
    '  answers at ingest:',
    ...table(driver.byStatus),
    `  AWS calls of the Lambdas ${result.awsCalls}; faults injected ${total(result.awsFaults)}:`,
    ...table(result.awsFaults),
    `  invocations cut short at their timeout (a crash between two steps) ${total(result.crashes)}:`,
    ...table(result.crashes),
    `  Customer.io calls ${total(result.customerIoAnswers)}; events refused as invalid ${result.rejectedEvents}:`,
    ...table(result.customerIoAnswers),
    `  events expected ${verdict.expected}, delivered ${verdict.delivered}, parked (accounted for) ${verdict.parkedExpected.length}`,
    `  LOST ${verdict.lost.length}`,
    `  DUPLICATE IDS ${verdict.duplicateIds.length}`,
    `  parked with a reason ${parked}:`,
    ...table(verdict.parkedWithReason),
    `  PARKED WITHOUT A REASON ${verdict.parkedWithoutReason.length}`,
    `  unexpected events ${verdict.unexpected.length}; tolerated ${total(verdict.tolerated)}${
      Object.keys(verdict.tolerated).length
        ? ` (${Object.entries(verdict.tolerated)
            .map(([why, n]) => `${why}: ${n}`)
            .join('; ')})`
        : ''
    }`,
    `  ids resent (Customer.io drops the copies) ${verdict.resentIds}`,
    `  people not at their newest update ${verdict.stalePeople.length} of ${verdict.peopleChecked}`,
    `  refused valid deliveries ${driver.refused.length}; given up ${driver.gaveUp.length}`,
    `  drained ${result.drained ? 'yes' : `NO (left: inbox ${result.left.inbox}, outbox ${result.left.outbox}, schedules ${result.left.schedules})`}`,
    `  seconds: sending ${result.seconds.sending.toFixed(1)}, draining ${result.seconds.draining.toFixed(1)}, total ${result.seconds.total.toFixed(1)}`,
    ...verdict.lost.slice(0, 20).map((key) => `  lost: ${key}`),
    ...verdict.duplicateIds.slice(0, 20).map((key) => `  duplicate ids: ${key}`),
    ...verdict.unexpected.slice(0, 20).map((what) => `  unexpected: ${what}`),
    ...verdict.stalePeople.slice(0, 20).map((who) => `  stale: ${who}`),
    ...verdict.parkedWithoutReason
      .slice(0, 10)
      .map((l) => `  without reason: ${l.queue} ${l.body.slice(0, 120)}`),
    ...driver.refused.slice(0, 10).map((r) => `  refused: ${r.label} ${r.deliveryId} → ${r.status}`),
    ...result.postMortem,
    passed(result) ? 'PASS' : 'FAIL',
  ];
  return `${lines.join('\n')}\n`;
};
