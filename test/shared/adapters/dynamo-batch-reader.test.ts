import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoBatchReader } from '../../../shared/adapters/dynamo-batch-reader.js';
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

  it('fails every read of a batch DynamoDB refuses, as a dependency error', async () => {
    const reader = new DynamoBatchReader(table.client, 'no-such-table');
    await expect(reader.get('item#1', 'x')).rejects.toThrow(/batch read failed/);
  });
});
