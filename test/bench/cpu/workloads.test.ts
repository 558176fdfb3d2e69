import { describe, expect, it } from 'vitest';
import { largeOrder, shopifyWebhookSamples, topicOfSample } from '../../../bench/cpu/workloads.js';
import { parseJsonLossless } from '../../../shared/json/lossless-json.js';
import { shopifyNormalizers } from '../../../shared/sources/shopify/shopify-normalizers.js';
import { normalizeShopify } from '../../helpers/shopify-envelope.js';

describe('CPU bench workloads', () => {
  it('names the topic of every sample file, consent topics and rudderstack captures included', () => {
    expect(topicOfSample('orders-create.rudderstack.json')).toBe('orders/create');
    expect(topicOfSample('customers-data-request.json')).toBe('customers/data_request');
    expect(topicOfSample('customers-marketing-consent-update.json')).toBe(
      'customers_marketing_consent/update',
    );
    expect(topicOfSample('shop-redact.json')).toBe('shop/redact');
  });

  it('takes every Shopify webhook sample, each with a topic the connector handles, and no beacons', () => {
    const samples = shopifyWebhookSamples();
    expect(samples.length).toBeGreaterThanOrEqual(22);
    for (const sample of samples) {
      expect(shopifyNormalizers[sample.topic], sample.name).toBeTypeOf('function');
      expect(sample.name).not.toMatch(/web-pixel/);
    }
  });

  it('generates an order with the requested lines, exact 18-digit ids, that normalizes into as many products', () => {
    const order = largeOrder(100);
    const payload = parseJsonLossless(order.body.toString('utf8')) as { line_items: { id: unknown }[] };
    expect(payload.line_items).toHaveLength(100);
    expect(new Set(payload.line_items.map((l) => l.id)).size).toBe(100);
    expect(payload.line_items[1]?.id).toBe('487817672276306473');
    expect(order.body.toString('utf8')).toContain('"id":487817672276306473,');
    const result = normalizeShopify('orders/create', order.body.toString('utf8'));
    if (result.kind !== 'normalized') throw new Error(result.reason);
    const properties = result.events[0]?.properties as { products: unknown[] };
    expect(properties.products).toHaveLength(100);
  });
});
