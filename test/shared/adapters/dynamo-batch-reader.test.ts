import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoBatchReader } from '../../../shared/adapters/dynamo-batch-reader.js';
import { classifyFailure } from '../../../shared/failures/classify-failure.js';
import { countDynamoCalls } from '../../helpers/aws-calls.js';
import { startTestTable, type TestTable } from '../../helpers/dynalite.js';

describe('DynamoBatchReader (dynalite)', () => {
  let table: TestTable;
  let calls: ReturnType<typeof countDynamoCalls>;
  beforeAll(async () => {
    table = await startTestTable();
    calls = countDynamoCalls(table.client);
    for (let i = 0; i < 150; i += 1) {
      await table.client.send(
        new PutItemCommand({
          TableName: table.tableName,
          Item: { pk: { S: `item#${i}` }, sk: { S: 'x' }, n: { N: String(i) } },
        }),
      );
    }
  });
  afterAll(async () => table.close());

  it('sends the reads asked for together as one BatchGetItem, and answers each with its item or undefined', async () => {
    const reader = new DynamoBatchReader(table.client, table.tableName);
    let answers: unknown[] = [];
    const used = await calls.during(async () => {
      answers = await Promise.all([
        reader.get('item#1', 'x'),
        reader.get('item#2', 'x'),
        reader.get('missing', 'x'),
        reader.get('item#1', 'x'),
      ]);
    });
    expect(used.byCommand).toEqual({ BatchGetItemCommand: 1 });
    expect(answers.map((a) => (a as { n?: { N?: string } } | undefined)?.n?.N)).toEqual([
      '1',
      '2',
      undefined,
      '1',
    ]);
  });

  it('splits more than 100 keys into requests of 100, and reads made one after another separately', async () => {
    const reader = new DynamoBatchReader(table.client, table.tableName);
    const together = await calls.during(() =>
      Promise.all(Array.from({ length: 150 }, (_, i) => reader.get(`item#${i}`, 'x'))),
    );
    expect(together.byCommand).toEqual({ BatchGetItemCommand: 2 });
    const inTurn = await calls.during(async () => {
      await reader.get('item#3', 'x');
      await reader.get('item#4', 'x');
    });
    expect(inTurn.byCommand).toEqual({ BatchGetItemCommand: 2 });
  });

  it('fails only the read whose key DynamoDB refuses (key_too_long): reads of other records asked in the same turn are answered', async () => {
    // Records of one SQS batch are worked on at once, and their reads share requests: one record's hostile id
    // must not park the others.
    const reader = new DynamoBatchReader(table.client, table.tableName);
    const tooLong = `id#${'9'.repeat(2_100)}`;

    const [good, bad, missing] = await Promise.allSettled([
      reader.get('item#5', 'x'),
      reader.get(tooLong, 'x'),
      reader.get('missing', 'x'),
    ]);

    expect(good.status === 'fulfilled' && good.value?.n?.N).toBe('5');
    expect(missing).toEqual({ status: 'fulfilled', value: undefined });
    expect(bad.status).toBe('rejected');
    expect(classifyFailure(bad.status === 'rejected' ? bad.reason : undefined)).toMatchObject({
      class: 'permanent',
      code: 'key_too_long',
    });
  });

  it('fails every read of a batch DynamoDB refuses, as a dependency error', async () => {
    const reader = new DynamoBatchReader(table.client, 'no-such-table');
    await expect(reader.get('item#1', 'x')).rejects.toThrow(/batch read failed/);
  });
});
