import { type CallSummary, summarize } from './call-log.js';
import { AwsCallHarness } from './harness.js';
import { SCENARIOS, type Scenario } from './scenarios.js';

/** What one scenario cost, per function and in all. */
export interface TopicCalls {
  readonly group: string;
  readonly label: string;
  readonly target?: Scenario['target'];
  /** HTTP status ingest answered (200 for a cart check). */
  readonly status: number;
  readonly ingest: CallSummary;
  /** The process worker's calls, or the cart check's for a cart-check scenario. */
  readonly worker: CallSummary;
  readonly deliver: CallSummary;
  readonly total: CallSummary;
  readonly customerIoCalls: number;
  readonly customerIoOperations: number;
  readonly failedRecords: number;
}

const measured = new Map<'on' | 'off', Promise<TopicCalls[]>>();

/**
 * Runs every scenario once through the four functions on the local stack and summarizes its AWS calls. Measured
 * once per bench run and setting (Targets 2, 3 and 5 all read it); by default as deployed, with the activity record
 * on.
 */
export const measureTopicCalls = (activityLog: 'on' | 'off' = 'on'): Promise<TopicCalls[]> => {
  const known = measured.get(activityLog);
  if (known) return known;
  const run = (async () => {
    const harness = await AwsCallHarness.start({ activityLog });
    try {
      const rows: TopicCalls[] = [];
      for (const scenario of SCENARIOS) {
        const path = await scenario.run(harness);
        const worker = [...path.process, ...path.cartCheck];
        rows.push({
          group: scenario.group,
          label: scenario.label,
          ...(scenario.target ? { target: scenario.target } : {}),
          status: path.status,
          ingest: summarize(path.ingest),
          worker: summarize(worker),
          deliver: summarize(path.deliver),
          total: summarize([...path.ingest, ...worker, ...path.deliver]),
          customerIoCalls: path.customerIoCalls,
          customerIoOperations: path.customerIoOperations,
          failedRecords: path.failedRecords,
        });
      }
      return rows;
    } finally {
      await harness.close();
    }
  })();
  measured.set(activityLog, run);
  return run;
};
