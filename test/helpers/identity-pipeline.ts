import type { OutboxMessage } from '../../shared/delivery/outbox-message.js';
import { identityStage } from '../../shared/identity/identity-stage.js';
import { MemoryIdentityStore } from '../../shared/identity/memory-identity-store.js';
import type { WebhookEnvelope } from '../../shared/ingest/envelope.js';
import { normalizerRegistry } from '../../shared/normalize/registry.js';
import { type ProcessDeps, processInboxMessage } from '../../shared/process/process-envelope.js';
import { MemoryDedupeStore, MemoryQueue, testTelemetry } from './fakes.js';

/** The process pipeline with only the identity stage, on an in-memory store: `run` a delivery, read what it `sent`. */
export const identityPipeline = () => {
  const store = new MemoryIdentityStore();
  const telemetry = testTelemetry();
  const outbox = new MemoryQueue();
  const deps: ProcessDeps = {
    dedupe: new MemoryDedupeStore(),
    outbox,
    normalizers: normalizerRegistry,
    stages: [identityStage(store, telemetry)],
    identity: { strategy: 'customer_id', customerIdPrefix: '' },
    clock: () => new Date('2026-11-28T12:00:00Z'),
    telemetry,
  };
  const run = (envelope: WebhookEnvelope) => processInboxMessage(JSON.stringify(envelope), deps);
  return { store, telemetry, outbox, deps, run, sent: () => outbox.json<OutboxMessage>() };
};
