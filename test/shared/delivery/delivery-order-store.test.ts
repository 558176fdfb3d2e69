import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDeliveryOrderStore } from '../../../shared/delivery/delivery-order-store.js';
import { classifyFailure } from '../../../shared/failures/classify-failure.js';
import { startTestTable, type TestTable } from '../../helpers/dynalite.js';

describe('DynamoDeliveryOrderStore (dynalite)', () => {
  let table: TestTable;
  let now = Date.parse('2026-11-28T10:00:00.000Z');
  const store = () => new DynamoDeliveryOrderStore(table.client, table.tableName, () => new Date(now));
  beforeAll(async () => {
    table = await startTestTable();
  });
  afterAll(async () => table.close());

  it('allows a version not older than the one sent (a retry of the same passes), refuses an older one', async () => {
    // Prepare
    const key = { kind: 'rollup' as const, key: 'demo#id:1' };

    // Act
    const v2 = await store().claim(key, { rollup: 2 });
    const v1 = await store().claim(key, { rollup: 1 });
    const v2Again = await store().claim(key, { rollup: 2 });

    // Assess
    expect([...v2.allowed]).toEqual(['rollup']);
    expect([...v1.allowed]).toEqual([]);
    expect([...v2Again.allowed]).toEqual(['rollup']);
  });

  it('orders attributes one by one: an older update keeps the attributes nobody sent newer', async () => {
    // Prepare
    const key = { kind: 'attributes' as const, key: 'demo#shopify#customer:2' };
    await store().claim(key, { first_name: 2_000, email: 2_000 });

    // Act
    const older = await store().claim(key, { first_name: 1_000, last_name: 1_000, email: 2_000 });

    // Assess
    expect([...older.allowed].sort()).toEqual(['email', 'last_name']);
  });

  it('lets two racing claims of one key both record, the newer one winning the version', async () => {
    // Prepare
    const key = { kind: 'rollup' as const, key: 'demo#id:race' };

    // Act
    const results = await Promise.all([1, 2, 3, 4, 5].map((v) => store().claim(key, { rollup: v })));
    const late = await store().claim(key, { rollup: 4 });

    // Assess
    expect(results[4]?.allowed.has('rollup')).toBe(true);
    expect(late.allowed.has('rollup')).toBe(false);
  });

  it('shows a claim still sending to the next one, until it is released; a mark older than any send is dropped', async () => {
    // Prepare
    const key = { kind: 'rollup' as const, key: 'demo#id:3' };
    const first = await store().claim(key, { rollup: 1 }, true);
    now += 1_000;

    // Act
    const second = await store().claim(key, { rollup: 2 }, true);
    if (first.claim) await store().release(key, first.claim);
    if (second.claim) await store().release(key, second.claim);
    const third = await store().claim(key, { rollup: 3 }, true);
    const crashed = third.claim;
    now += 16 * 60_000;
    const fourth = await store().claim(key, { rollup: 4 }, true);

    // Assess
    expect(first.othersInFlightSince).toEqual([]);
    expect(second.othersInFlightSince).toEqual([now - 16 * 60_000 - 1_000]);
    expect(third.othersInFlightSince).toEqual([]);
    expect(crashed).toBeDefined();
    expect(fourth.othersInFlightSince).toEqual([]);
    expect(fourth.claim?.abandoned).toHaveLength(1);
  });

  it('parks a claim whose key is over the DynamoDB limit as key_too_long, and retries one DynamoDB did not answer', async () => {
    // Prepare: a key past 2,048 bytes, and a client whose endpoint no longer listens.
    const tooLong = { kind: 'rollup' as const, key: `demo#id:${'9'.repeat(2_100)}` };
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const unreachable = new DynamoDBClient({
      region: 'us-east-1',
      endpoint: `http://127.0.0.1:${port}`,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 1,
    });

    // Act
    const tooLongError = await store()
      .claim(tooLong, { rollup: 1 }, true)
      .catch((e: unknown) => e);
    const downError = await new DynamoDeliveryOrderStore(unreachable, table.tableName, () => new Date(now))
      .claim({ kind: 'rollup', key: 'demo#id:2' }, { rollup: 1 }, true)
      .catch((e: unknown) => e);
    unreachable.destroy();

    // Assess
    expect(classifyFailure(tooLongError)).toMatchObject({ class: 'permanent', code: 'key_too_long' });
    expect(classifyFailure(downError)).toMatchObject({
      class: 'transient',
      exhaustedCode: 'dependency_exhausted',
    });
  });
});
