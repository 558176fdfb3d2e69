import { describe, expect, it } from 'vitest';
import type { PersonUpdate } from '../../../shared/canonical/person.js';
import type { WebhookEnvelope } from '../../../shared/ingest/envelope.js';
import { type Normalized, normalized } from '../../../shared/normalize/normalizer.js';
import { concurrentStages } from '../../../shared/process/concurrent-stages.js';
import type { ProcessStage } from '../../../shared/process/process-stage.js';
import { orderCompletedDraft } from '../../helpers/canonical-fixtures.js';

const person = { customer_id: '42' };
const update = (key: string): PersonUpdate => ({
  dedupe_key: key,
  source: 'shopify',
  shop: 'demo.myshopify.com',
  occurred_at: '2026-11-01T10:00:00.000Z',
  person,
  attributes: { first_name: key },
});

/** A stage that appends one person update (and, when asked, rewrites the events), after a turn of the loop. */
const appending = (name: string, rewrite = false): ProcessStage => {
  return {
    name,
    async apply(output) {
      await new Promise((resolve) => setImmediate(resolve));
      return {
        ...output,
        events: rewrite
          ? output.events.map((e) => ({ ...e, person: { ...e.person, email: 'a@b.c' } }))
          : output.events,
        people: [...output.people, update(`${name}-update`)],
        signals: [...output.signals, { type: `${name}-signal` }],
      };
    },
  };
};

const input = (): Normalized =>
  normalized(
    [orderCompletedDraft('1', 10, person)],
    [update('normalizer-update')],
    [{ type: 'input-signal' }],
  );

describe('concurrentStages', () => {
  it('gives what the stages give in sequence: appended outputs in stage order, the rewritten events', async () => {
    const envelope = {} as WebhookEnvelope;
    const stages = [appending('acquisition'), appending('rollups', true), appending('cart')];
    let sequential = input();
    for (const stage of stages) sequential = await stage.apply(sequential, envelope);
    const joined = await concurrentStages(stages).apply(input(), envelope);
    expect(joined).toEqual(sequential);
    expect(joined.people.map((p) => p.dedupe_key)).toEqual([
      'normalizer-update',
      'acquisition-update',
      'rollups-update',
      'cart-update',
    ]);
  });

  it('starts every stage before any finishes', async () => {
    let running = 0;
    let most = 0;
    const tracked = (name: string): ProcessStage => ({
      name,
      async apply(output) {
        running += 1;
        most = Math.max(most, running);
        await new Promise((resolve) => setImmediate(resolve));
        running -= 1;
        return output;
      },
    });
    await concurrentStages([tracked('a'), tracked('b'), tracked('c')]).apply(input(), {} as WebhookEnvelope);
    expect(most).toBe(3);
  });

  it('fails when one stage fails', async () => {
    const failing: ProcessStage = {
      name: 'failing',
      apply: async () => {
        throw new Error('DynamoDB down');
      },
    };
    await expect(
      concurrentStages([appending('a'), failing]).apply(input(), {} as WebhookEnvelope),
    ).rejects.toThrow('DynamoDB down');
  });
});
