import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../local/local-stack.js';
import { localQaContext, startQaStack } from '../../local/qa-local.js';
import { writeLocalStackFile } from '../../shared/operations/local-stack-file.js';
import { type CrossDeviceRun, sendCrossDevice } from '../../shared/qa/cross-device.js';
import { orderCreated, qaProduct } from '../../shared/qa/qa-payloads.js';
import { waitForCartChecks } from '../helpers/local-stack-quiet.js';
import { waitFor } from '../helpers/wait-for.js';

const XSS_PRODUCT = '<img src=x onerror="document.title=\'owned\'">Mug';
const XSS_NAME = '<script>document.title="owned"</script>Zoë';

const page = async (stack: LocalStack, query: Record<string, string>) => {
  const response = await fetch(`${stack.inspectorUrl}?${new URLSearchParams(query)}`);
  expect(response.status).toBe(200);
  return response.text();
};

describe('the inspector on the local stack', () => {
  let stack: LocalStack;
  let journey: CrossDeviceRun;
  let poisonedOrder: string;

  beforeAll(async () => {
    stack = await startQaStack();
    const ctx = localQaContext(stack, `insp${Date.now().toString(36)}`);
    journey = await sendCrossDevice(ctx, { productTitle: XSS_PRODUCT, firstName: XSS_NAME });
    // A later order of the same shopper that can never be processed (a currency no schema takes): it parks.
    const poisoned = {
      id: ctx.next(),
      shopper: journey.shopper,
      product: qaProduct(XSS_PRODUCT),
      quantity: 1,
      at: new Date(),
    };
    poisonedOrder = poisoned.id;
    await ctx.sender.shopify('orders/updated', { ...orderCreated(poisoned), currency: 'not money' });
    await waitForCartChecks(stack);
  });
  afterAll(async () => stack?.stop());

  it("tells one shopper's story by email: two browsers, the merge, the order, Customer.io's answers, the dead letter", async () => {
    // Act
    const html = await page(stack, { q: journey.shopper.email });

    // Assess
    for (const text of [
      `browser ${journey.browsers[0]}`,
      `browser ${journey.browsers[1]}`,
      'Storefront beacon product_added_to_cart',
      `browser ${journey.browsers[0]} merged into this person`,
      'Shopify checkouts/create',
      'Shopify orders/create',
      'Customer.io accepted',
      'converted',
      'payload_invalid',
      'signature verified',
      'unsigned storefront beacon',
    ]) {
      expect(html, text).toContain(text);
    }
    expect(html).not.toContain('Checkout Abandoned');
    expect(html).not.toMatch(/<img src=x|<script>/);
    // The product name is shown as text (escaped, and cut to 40 characters in event summaries).
    expect(html).toContain('&lt;img src=x onerror=&quot;document.title=&#39;');
    // The shopper's name is personal data: masked in the dead letter, never shown.
    expect(html).not.toContain('Zoë');
    expect(html).toContain(`q•••@example.com`);
  });

  it('finds the same person by order id, by either browser, by cart token and by customer id', async () => {
    for (const query of <Record<string, string>[]>[
      { q: journey.orderId, kind: 'order' },
      { q: journey.browsers[1] },
      { q: journey.cartToken, kind: 'cart' },
      { q: journey.shopper.customerId },
    ]) {
      const html = await page(stack, query);
      expect(html, JSON.stringify(query)).toContain('Shopify orders/create');
      expect(html, JSON.stringify(query)).toContain(`browser ${journey.browsers[0]}`);
    }
    expect(await page(stack, { q: poisonedOrder, kind: 'order' })).toContain('Nothing found');
  });

  it('is served read-only against the same stack by npm run inspector (--local-data)', async () => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'inspector-cli-'));
    writeLocalStackFile(dir, {
      sqsEndpoint: stack.sqsEndpoint,
      dynamoEndpoint: stack.dynamoEndpoint,
      apiUrl: stack.apiUrl,
      tableName: stack.tableName,
      queues: stack.queues,
    });
    let child: ChildProcess | undefined;
    try {
      // Act
      child = spawn(process.execPath, ['--import', 'tsx', 'scripts/inspector.ts', '--local-data', dir], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout?.on('data', (chunk: Buffer) => {
        output += chunk.toString();
      });
      const url = await waitFor(
        () => output.match(/http:\/\/127\.0\.0\.1:\d+\/inspector/)?.[0],
        20_000,
        'the URL',
      );
      const html = await (await fetch(`${url}?q=${encodeURIComponent(journey.shopper.email)}`)).text();

      // Assess
      expect(html).toContain('Shopify orders/create');
      expect(html).toContain('local stack (');
      expect((await fetch(url, { method: 'POST' })).status).toBe(405);
    } finally {
      child?.kill('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
