import { describe, expect, it } from 'vitest';
import { largeOrder, shopifyWebhookSamples } from '../../../bench/cpu/workloads.js';
import { eventIdFor } from '../../../shared/canonical/event-id.js';
import { CanonicalEventSchema } from '../../../shared/canonical/events.js';
import { PersonUpdateSchema } from '../../../shared/canonical/person.js';
import { OutboxMessageSchema } from '../../../shared/delivery/outbox-message.js';
import type { WebhookEnvelope } from '../../../shared/ingest/envelope.js';
import { parseJsonLossless } from '../../../shared/json/lossless-json.js';
import { normalizerRegistry } from '../../../shared/normalize/registry.js';
import { type ProcessDeps, processInboxMessage } from '../../../shared/process/process-envelope.js';
import { MemoryDedupeStore, MemoryQueue, testTelemetry } from '../../helpers/fakes.js';
import { readRechargeSample, rechargeEnvelope } from '../../helpers/recharge-envelope.js';
import { shopifyEnvelope } from '../../helpers/shopify-envelope.js';

/**
 * The process worker emits events as the normalizers build them, without parsing them against the canonical
 * schema again; the deliver worker parses every outbox message. This holds the two together: for every sample,
 * each outbox message must already be exactly what the outbox schema admits (nothing stripped, nothing
 * transformed), so deliver accepts what process sends, unchanged.
 */
const emitted = async (envelope: WebhookEnvelope): Promise<unknown[]> => {
  const outbox = new MemoryQueue();
  const deps: ProcessDeps = {
    dedupe: new MemoryDedupeStore(),
    outbox,
    normalizers: normalizerRegistry,
    phoneCountryFor: () => 'US',
    stages: [],
    identity: { strategy: 'customer_id', customerIdPrefix: '' },
    clock: () => new Date('2026-11-28T10:00:00Z'),
    telemetry: testTelemetry(),
  };
  // Any failure throws (the record runner would park it), so an emitted list means the delivery went through.
  await processInboxMessage(JSON.stringify(envelope), deps);
  return outbox.json();
};

const VALID_SHOPIFY = [...shopifyWebhookSamples(), largeOrder(100)].filter(
  (w) => w.name !== 'orders-cancelled.rudderstack', // trimmed by its publisher: fails the order schema, parked
);

const RECHARGE: readonly [string, string][] = [
  ['subscription/created', 'subscription-created.json'],
  ['subscription/created', 'subscription-created.boxesapp.json'],
  ['subscription/created', 'subscription-created.legacy.json'],
  ['subscription/activated', 'subscription-activated.json'],
  ['subscription/cancelled', 'subscription-cancelled.json'],
  ['charge/failed', 'charge-failed.legacy.json'],
  ['customer/created', 'customer-created.json'],
];

/** Every event (with the id process attaches) and identify a normalizer builds, beside its canonical parse. */
const built = (envelope: WebhookEnvelope): [unknown, unknown][] => {
  const normalize = normalizerRegistry[envelope.source]?.[envelope.topic];
  if (!normalize) throw new Error(`no normalizer for ${envelope.source} ${envelope.topic}`);
  const result = normalize(parseJsonLossless(envelope.body), envelope, { phoneCountry: 'US' });
  if (result.kind !== 'normalized') return [];
  const events = result.events.map((draft) => ({ ...draft, id: eventIdFor(draft.dedupe_key) }));
  return [
    ...events.map((event): [unknown, unknown] => [event, CanonicalEventSchema.parse(event)]),
    ...result.people.map((update): [unknown, unknown] => [update, PersonUpdateSchema.parse(update)]),
  ];
};

const ENVELOPES: readonly [string, WebhookEnvelope][] = [
  ...VALID_SHOPIFY.map((w): [string, WebhookEnvelope] => [
    `shopify ${w.name}`,
    shopifyEnvelope(w.topic, w.body.toString('utf8')),
  ]),
  ...RECHARGE.map(([topic, file]): [string, WebhookEnvelope] => [
    `recharge ${file}`,
    rechargeEnvelope(topic, readRechargeSample(file)),
  ]),
];

describe('normalizer output is canonical as built', () => {
  it.each(ENVELOPES)('%s: events and identifies equal their canonical parse', (_name, envelope) => {
    for (const [output, parsed] of built(envelope)) expect(parsed).toEqual(output);
  });

  it('covers events of every order, checkout, refund and subscription sample, not only identifies', () => {
    const withEvents = ENVELOPES.filter(([, envelope]) => {
      const result = normalizerRegistry[envelope.source]?.[envelope.topic]?.(
        parseJsonLossless(envelope.body),
        envelope,
      );
      return result?.kind === 'normalized' && result.events.length > 0;
    }).map(([name]) => name);
    for (const name of ['orders-create', 'checkouts-create', 'refunds-create', 'subscription-created.json'])
      expect(
        withEvents.some((n) => n.includes(name)),
        name,
      ).toBe(true);
  });
});

describe('outbox messages are canonical as emitted', () => {
  it.each(VALID_SHOPIFY.map((w) => [w.name, w] as const))('shopify %s', async (_name, workload) => {
    const messages = await emitted(shopifyEnvelope(workload.topic, workload.body.toString('utf8')));
    for (const message of messages) expect(OutboxMessageSchema.parse(message)).toEqual(message);
  });
});
