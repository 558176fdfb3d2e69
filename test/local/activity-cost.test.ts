import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type AttributeValue, ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../local/local-stack.js';
import { localQaContext, startQaStack } from '../../local/qa-local.js';
import { itemBytes } from '../../shared/activity/activity-item.js';
import { captureDestination } from '../../shared/qa/qa-destination.js';
import { exitCodeOf, runQaPlan } from '../../shared/qa/qa-runner.js';
import { waitForCartChecks } from '../helpers/local-stack-quiet.js';

const ARTIFACTS = join(import.meta.dirname, '..', '..', 'test-artifacts');

const scanAll = async (stack: LocalStack): Promise<Record<string, AttributeValue>[]> => {
  const items: Record<string, AttributeValue>[] = [];
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page = await stack.dynamo.send(
      new ScanCommand({ TableName: stack.tableName, ExclusiveStartKey: start }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
};

describe('the activity record, measured on the whole QA plan', () => {
  let stack: LocalStack;
  let items: Record<string, AttributeValue>[];

  beforeAll(async () => {
    stack = await startQaStack();
    const capture = stack.capture;
    if (!capture) throw new Error('expected the local capture');
    const reports = await runQaPlan(localQaContext(stack, `cost${Date.now().toString(36)}`), {
      destination: captureDestination(() => capture.operations()),
      timeoutMs: 30_000,
      out: () => undefined,
    });
    expect(exitCodeOf(reports)).toBe(0);
    await waitForCartChecks(stack);
    items = (await scanAll(stack)).filter((item) => item.pk?.S?.startsWith('activity#'));
  }, 120_000);
  afterAll(async () => stack?.stop());

  it('costs about one small write per delivery plus one per Customer.io call, each with a TTL and no email', () => {
    // Act
    const kinds = new Map<string, { items: number; bytes: number; writeUnits: number }>();
    for (const item of items) {
      const kind = item.sk?.S?.split('#')[1] ?? '?';
      const bytes = itemBytes(item);
      // One write unit per started KB, twice for an item the order index (gsi1) copies.
      const units = Math.ceil(bytes / 1024) * (item.gsi1pk ? 2 : 1);
      const sum = kinds.get(kind) ?? { items: 0, bytes: 0, writeUnits: 0 };
      kinds.set(kind, { items: sum.items + 1, bytes: sum.bytes + bytes, writeUnits: sum.writeUnits + units });
    }
    const deliveries = kinds.get('delivery')?.items ?? 0;
    const total = [...kinds.values()].reduce(
      (sum, k) => ({
        items: sum.items + k.items,
        bytes: sum.bytes + k.bytes,
        writeUnits: sum.writeUnits + k.writeUnits,
      }),
      { items: 0, bytes: 0, writeUnits: 0 },
    );
    const report = {
      deliveries,
      byKind: Object.fromEntries(kinds),
      perDelivery: {
        writes: total.items / deliveries,
        writeUnits: total.writeUnits / deliveries,
        bytes: Math.round(total.bytes / deliveries),
      },
      largestItemBytes: Math.max(...items.map(itemBytes)),
    };
    mkdirSync(ARTIFACTS, { recursive: true });
    writeFileSync(join(ARTIFACTS, 'activity-cost.json'), `${JSON.stringify(report, null, 2)}\n`);

    // Assess
    // Every delivery of the plan (5 beacons, 16 webhooks) is on record, the refund sent before its order was
    // processed included (filed under its order until the buyer is known).
    expect(deliveries).toBe(21);
    // Locally deliver takes one record per call; in AWS a batch of 10 shares one item per person.
    expect(report.perDelivery.writes).toBeLessThan(3);
    expect(report.largestItemBytes).toBeLessThan(2048);
    for (const item of items) {
      expect(Number(item.expiresAt?.N)).toBeGreaterThan(Date.now() / 1000);
      expect(JSON.stringify(item)).not.toMatch(/@example\.com/);
    }
  });
});
