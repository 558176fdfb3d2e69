import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { Checkpoint, CheckpointConflictError } from '../../../shared/backfill/checkpoint.js';
import { DynamoRunStateStore } from '../../../shared/backfill/dynamo-run-state-store.js';
import { LeaseBusyError, LeaseLostError, takeLease } from '../../../shared/backfill/lease.js';
import { startTestTable, type TestTable } from '../../helpers/dynalite.js';

describe('run state on the connector table (dynalite on 127.0.0.1)', () => {
  let table: TestTable;
  let store: DynamoRunStateStore;
  beforeAll(async () => {
    table = await startTestTable();
    store = new DynamoRunStateStore(table.client, table.tableName);
  });
  afterAll(async () => table?.close());

  it('lets one holder at a time take a lease, and another take it over once it ran out', async () => {
    let now = Date.parse('2026-11-28T10:00:00Z');
    const clock = () => new Date(now);
    const first = await takeLease(store, 'backfill#a.myshopify.com', 'host-1#11', 60_000, clock);

    await expect(takeLease(store, 'backfill#a.myshopify.com', 'host-2#22', 60_000, clock)).rejects.toThrow(
      'running elsewhere (host-1#11) until at least 2026-11-28T10:01:00.000Z',
    );
    await expect(
      takeLease(store, 'backfill#a.myshopify.com', 'host-2#22', 60_000, clock),
    ).rejects.toBeInstanceOf(LeaseBusyError);
    now += 61_000;
    const second = await takeLease(store, 'backfill#a.myshopify.com', 'host-2#22', 60_000, clock);

    await expect(first.keep()).rejects.toBeInstanceOf(LeaseLostError);
    await second.keep();
    await first.release();
    await expect(
      takeLease(store, 'backfill#a.myshopify.com', 'host-3#33', 60_000, clock),
    ).rejects.toBeInstanceOf(LeaseBusyError);
    await second.release();
    await takeLease(store, 'backfill#a.myshopify.com', 'host-3#33', 60_000, clock);
  });

  it('writes a checkpoint only over the version it read: a second writer is refused, not merged', async () => {
    const schema = z.object({ n: z.number() });
    const clock = () => new Date('2026-11-28T10:00:00Z');
    const { checkpoint: a, stored } = await Checkpoint.open(store, 'backfill#b', schema, clock);
    expect(stored).toBeUndefined();
    await a.save({ n: 1 });
    const { checkpoint: b, stored: seen } = await Checkpoint.open(store, 'backfill#b', schema, clock);
    expect(seen).toEqual({ n: 1 });

    await b.save({ n: 2 });

    await expect(a.save({ n: 3 })).rejects.toBeInstanceOf(CheckpointConflictError);
    expect((await store.read('backfill#b'))?.state).toEqual({ n: 2 });
  });
});
