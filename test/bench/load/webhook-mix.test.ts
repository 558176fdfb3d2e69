import { describe, expect, it } from 'vitest';
import { loadWebhook, TOPIC_MIX, topicAt } from '../../../bench/load/webhook-mix.js';
import { localShops, localWebhookSecrets } from '../../../local/local-config.js';
import { WebhookSecretsSchema } from '../../../shared/config/secrets.js';
import { ShopsConfigSchema, shopDirectory } from '../../../shared/config/shops.js';
import { handleWebhook } from '../../../shared/ingest/handle-webhook.js';
import { webhookSources } from '../../../shared/runtime/wire-ingest.js';
import { MemoryQueue, staticSecrets, testTelemetry } from '../../helpers/fakes.js';

describe('load webhook mix', () => {
  it('draws topics in proportion to their shares', () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 1000; i += 1) counts.set(topicAt(i / 1000), (counts.get(topicAt(i / 1000)) ?? 0) + 1);
    const total = TOPIC_MIX.reduce((sum, t) => sum + t.share, 0);
    for (const { topic, share } of TOPIC_MIX)
      expect(counts.get(topic)).toBe(Math.round((1000 * share) / total));
  });

  it.each(TOPIC_MIX.map((t) => [t.topic]))(
    '%s: signed as its platform signs it, accepted by ingest',
    async (topic) => {
      const inbox = new MemoryQueue();
      const webhook = loadWebhook(topic, 1);
      const response = await handleWebhook(
        {
          method: 'POST',
          path: webhook.path,
          query: {},
          headers: { ...webhook.headers },
          body: Buffer.from(webhook.body),
        },
        {
          sources: webhookSources,
          secrets: staticSecrets(WebhookSecretsSchema.parse(JSON.parse(localWebhookSecrets()))),
          shops: shopDirectory(ShopsConfigSchema.parse(JSON.parse(localShops()))),
          inbox,
          clock: () => new Date(),
          maxBodyBytes: 1024 * 1024,
          telemetry: testTelemetry(),
        },
      );
      expect(response.statusCode).toBe(200);
      expect(inbox.sent).toHaveLength(1);
    },
  );
});
