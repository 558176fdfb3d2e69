import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyFailure } from '../../../shared/failures/classify-failure.js';
import { normalized } from '../../../shared/normalize/normalizer.js';
import { rollupStage } from '../../../shared/people/rollup-stage.js';
import { DynamoRollupStore } from '../../../shared/people/rollup-store.js';
import { orderCompletedDraft } from '../../helpers/canonical-fixtures.js';
import { startTestTable, type TestTable } from '../../helpers/dynalite.js';
import { testTelemetry } from '../../helpers/fakes.js';
import { shopifyEnvelope } from '../../helpers/shopify-delivery.js';

describe('rollup stage under contention (dynalite)', () => {
  let table: TestTable;
  beforeAll(async () => {
    table = await startTestTable();
  });
  afterAll(async () => table?.close());

  it('fails a delivery that keeps losing the write race transiently (retried with backoff), never parks it', async () => {
    const store = new DynamoRollupStore(table.client, table.tableName);
    // Another worker writes the same person's rollup between every read and write of this one.
    let writes = 0;
    const contended = Object.assign(Object.create(store) as DynamoRollupStore, {
      write: async () => {
        writes += 1;
        return false;
      },
    });
    const stage = rollupStage({
      store: contended,
      identity: { strategy: 'customer_id', customerIdPrefix: '' },
      clock: () => new Date('2026-11-28T00:00:00Z'),
      telemetry: testTelemetry(),
    });
    const output = normalized([orderCompletedDraft('contended-1', 25, { customer_id: 'busy-buyer' })]);

    const failure = await stage.apply(output, shopifyEnvelope('orders/create', '{}')).then(
      () => undefined,
      (error: unknown) => classifyFailure(error),
    );

    expect(writes).toBe(5);
    expect(failure).toMatchObject({ class: 'transient', exhaustedCode: 'dependency_exhausted' });
  });
});
