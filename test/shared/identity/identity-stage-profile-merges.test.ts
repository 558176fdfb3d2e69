import { describe, expect, it } from 'vitest';
import type { OutboxMessage } from '../../../shared/delivery/outbox-message.js';
import type { WebhookEnvelope } from '../../../shared/ingest/envelope.js';
import type { Normalized } from '../../../shared/normalize/normalizer.js';
import { hashedEmail } from '../../../shared/people/identity-hash.js';
import { type ProcessDeps, processInboxMessage } from '../../../shared/process/process-envelope.js';
import { identityPipeline } from '../../helpers/identity-pipeline.js';
import { shopifyEnvelope, shopifySampleObject, TEST_SHOP } from '../../helpers/shopify-envelope.js';

describe('known profiles that turn out to be one person', () => {
  const customer = (deliveryId: string, id: number, email: string, updatedAt: string): WebhookEnvelope =>
    shopifyEnvelope(
      'customers/update',
      JSON.stringify({
        id,
        email,
        first_name: 'Guest',
        created_at: '2026-01-01T00:00:00Z',
        updated_at: updatedAt,
      }),
      { deliveryId },
    );
  const guestOrder = (deliveryId: string, email: string): WebhookEnvelope => {
    const { customer: _account, ...order } = shopifySampleObject('orders-create.json');
    return shopifyEnvelope(
      'orders/create',
      JSON.stringify({ ...order, id: 99001, email, contact_email: email }),
      {
        deliveryId,
      },
    );
  };
  const profileMerges = (messages: OutboxMessage[]) => messages.filter((m) => m.type === 'merge');

  it('merges a guest profile into an account once, when a signed update gives the account the guest email', async () => {
    const { run, sent, telemetry } = identityPipeline();
    await run(guestOrder('g1', 'guest@example.com'));
    await run(customer('c1', 555, 'account@example.com', '2026-11-01T00:00:00Z'));
    expect(profileMerges(sent())).toEqual([]);

    await run(customer('c2', 555, 'guest@example.com', '2026-11-02T00:00:00Z'));
    const emitted = profileMerges(sent());
    expect(emitted).toEqual([
      {
        type: 'merge',
        primary: { id: '555' },
        secondary: { email: 'guest@example.com' },
        shop: TEST_SHOP,
        // The email is hashed: the key is stored (dedupe, merge record) and must hold no contact data.
        dedupe_key: `merge-profiles#${TEST_SHOP}#email:${hashedEmail('guest@example.com')}#customer_id:555`,
        trace: { delivery_id: 'c2', received_at: '2025-07-10T16:15:48.120Z' },
      },
    ]);
    // The merge goes out before the identify that gives the account its new email.
    const order = sent().map((m) => m.type);
    expect(order.indexOf('merge')).toBeLessThan(order.lastIndexOf('identify'));

    await run(customer('c2', 555, 'guest@example.com', '2026-11-02T00:00:00Z'));
    await run(customer('c3', 555, 'guest@example.com', '2026-11-03T00:00:00Z'));
    expect(profileMerges(sent())).toHaveLength(1);
    expect(telemetry.counters.get('ProfilesMerged')).toBe(1);
  });

  it('still merges when a later stage failed after the identifiers were rebound (the retry finds the record)', async () => {
    const { run, sent, deps } = identityPipeline();
    await run(guestOrder('g1', 'guest@example.com'));
    await run(customer('c1', 555, 'account@example.com', '2026-11-01T00:00:00Z'));
    let failOnce = true;
    const flaky = {
      name: 'flaky',
      apply: async (output: Normalized) => {
        if (failOnce) {
          failOnce = false;
          throw new Error('later stage unavailable');
        }
        return output;
      },
    };
    const withFlaky: ProcessDeps = { ...deps, stages: [...deps.stages, flaky] };
    const message = JSON.stringify(customer('c2', 555, 'guest@example.com', '2026-11-02T00:00:00Z'));
    await expect(processInboxMessage(message, withFlaky)).rejects.toThrow('later stage unavailable');
    expect(await processInboxMessage(message, withFlaky)).toBe('processed');
    expect(profileMerges(sent())).toHaveLength(1);
  });

  it('does not merge when the account is new (Customer.io attaches the id to the guest profile by itself)', async () => {
    const { run, sent } = identityPipeline();
    await run(guestOrder('g1', 'new@example.com'));
    await run(customer('c1', 777, 'new@example.com', '2026-11-01T00:00:00Z'));
    expect(profileMerges(sent())).toEqual([]);
  });
});
