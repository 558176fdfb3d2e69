import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProcessEnvSchema, parseEnv } from '../../shared/config/env.js';
import type { DedupeStore, OwnershipStore } from '../../shared/dedupe/dedupe-store.js';
import { DynamoDedupeStore } from '../../shared/dedupe/dynamo-dedupe-store.js';
import { normalizerRegistry } from '../../shared/normalize/registry.js';
import type { Clock } from '../../shared/ports/clock.js';
import type { ProcessDeps } from '../../shared/process/process-envelope.js';
import { buildProcessStages } from '../../shared/runtime/process-stages.js';
import type { TestTable } from './dynalite.js';
import { MemoryQueue, testTelemetry } from './fakes.js';

/** What the tests that run the real process stages vary. */
interface RealProcessDepsOptions {
  /** Default: a fixed 2026-11-28T10:00:00Z. */
  readonly clock?: Clock;
  /** Lease of the dynamo dedupe store (default 120 s). */
  readonly leaseSeconds?: number;
  /** Retention of the dynamo dedupe store (default 30 days). */
  readonly retentionDays?: number;
  /** The identifier strategy, both of the env the stages read and of the process core (default `customer_id`). */
  readonly strategy?: 'customer_id' | 'email';
  /** Cart recovery schedules its checks into a fresh file (`SCHEDULER_MODE=local`) instead of running none. */
  readonly localScheduler?: boolean;
  /** Default: a new dynamo dedupe store on the table. */
  readonly dedupe?: DedupeStore & OwnershipStore;
  /** Default: new test telemetry. */
  readonly telemetry?: ReturnType<typeof testTelemetry>;
}

/** Process worker deps with the real stages on a dynalite table, its outbox in memory. */
export const realProcessDeps = (table: TestTable, options: RealProcessDepsOptions = {}) => {
  const clock = options.clock ?? (() => new Date('2026-11-28T10:00:00Z'));
  const strategy = options.strategy ?? 'customer_id';
  const telemetry = options.telemetry ?? testTelemetry();
  const env = parseEnv(ProcessEnvSchema, {
    TABLE_NAME: table.tableName,
    OUTBOX_QUEUE_URL: 'outbox',
    INBOX_DLQ_URL: 'dlq',
    IDENTIFIER_STRATEGY: strategy,
    ...(options.localScheduler
      ? {
          SCHEDULER_MODE: 'local',
          LOCAL_SCHEDULER_FILE: join(mkdtempSync(join(tmpdir(), 'process-deps-')), 'schedules.json'),
        }
      : {}),
  });
  const dedupe =
    options.dedupe ??
    new DynamoDedupeStore(table.client, {
      tableName: table.tableName,
      leaseSeconds: options.leaseSeconds ?? 120,
      retentionDays: options.retentionDays ?? 30,
    });
  const outbox = new MemoryQueue();
  const deps: ProcessDeps = {
    dedupe,
    outbox,
    normalizers: normalizerRegistry,
    stages: buildProcessStages({ env, dynamo: table.client, clock, telemetry }),
    identity: { strategy, customerIdPrefix: '' },
    clock,
    telemetry,
  };
  return { deps, dedupe, outbox, telemetry };
};
