import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../local/local-stack.js';
import { localQaContext, startQaStack } from '../../local/qa-local.js';
import { type CrossDeviceRun, sendCrossDevice } from '../../shared/qa/cross-device.js';
import { waitForCartChecks } from '../helpers/local-stack-quiet.js';

/** Debian's chromium; CI installs it (.ci/run). Elsewhere the test says it is missing and is skipped. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const HAS_CHROMIUM = existsSync(CHROMIUM);
const ARTIFACTS = join(import.meta.dirname, '..', '..', 'test-artifacts');
const XSS_PRODUCT = '<img src=x onerror="document.title=\'owned\'">';
const XSS_NAME = '<script>document.title="owned"</script>';

if (!HAS_CHROMIUM) {
  process.stderr.write(
    `SKIPPED the inspector browser test: no browser at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM_PATH)\n`,
  );
}

describe.skipIf(!HAS_CHROMIUM)(`the inspector in a real browser (chromium at ${CHROMIUM})`, () => {
  let stack: LocalStack;
  let browser: Browser;
  let shopper: CrossDeviceRun;
  let hostile: CrossDeviceRun;

  beforeAll(async () => {
    stack = await startQaStack();
    shopper = await sendCrossDevice(localQaContext(stack, 'demo'), {
      productTitle: 'Ceramic mug',
      firstName: 'Ann',
    });
    hostile = await sendCrossDevice(localQaContext(stack, 'xss'), {
      productTitle: XSS_PRODUCT,
      firstName: XSS_NAME,
    });
    await waitForCartChecks(stack);
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--headless',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('finds the shopper from the search form and shows two browsers, the merge, the order and no abandoned message', async () => {
    // Prepare
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    await page.goto(stack.inspectorUrl);

    // Act: the keyboard only, as an operator without a mouse would.
    await page.getByLabel(/Email, phone, customer id/).fill(shopper.shopper.email);
    await page.keyboard.press('Enter');
    await page.waitForURL(/\?q=/);

    // Assess
    const items = await page.locator('#timeline-h + ol.timeline > li').allTextContents();
    const first = (pattern: RegExp) => items.findIndex((text) => pattern.test(text));
    const phone = first(new RegExp(`product_added_to_cart[\\s\\S]*browser ${shopper.browsers[0]}`));
    const desktop = first(new RegExp(`cart_viewed[\\s\\S]*browser ${shopper.browsers[1]}`));
    const order = first(/Shopify orders\/create/);
    expect(phone).toBeGreaterThanOrEqual(0);
    expect(desktop).toBeGreaterThanOrEqual(0);
    expect(order).toBeGreaterThan(Math.max(phone, desktop));
    // Each browser is merged by whichever delivery met it second (the checkout, the order or its own beacon),
    // never after the order.
    for (const browserId of shopper.browsers) {
      const merged = first(new RegExp(`browser ${browserId} merged into this person`));
      expect(merged, browserId).toBeGreaterThanOrEqual(0);
      expect(merged, browserId).toBeLessThanOrEqual(order);
    }
    expect(items[order]).toMatch(/Order Completed[\s\S]*Customer\.io accepted/);
    const body = await page.locator('main').textContent();
    expect(body).not.toMatch(/Checkout Abandoned|Cart Abandoned/);
    expect(await page.locator('#carts-h ~ table').textContent()).toContain('converted');
    expect(await page.locator('#graph-h ~ table').textContent()).toContain(shopper.browsers[1]);
    mkdirSync(ARTIFACTS, { recursive: true });
    const shot = join(ARTIFACTS, 'inspector.png');
    await page.screenshot({ path: shot, fullPage: true });
    if (process.env.UPDATE_DOCS_SCREENSHOT === '1') {
      copyFileSync(shot, join(import.meta.dirname, '..', '..', 'docs', 'images', 'inspector.png'));
    }
    expect(existsSync(shot)).toBe(true);
    await page.close();
  });

  it('renders hostile product and shopper names as text: no script runs, no element is injected', async () => {
    const page = await browser.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await page.goto(`${stack.inspectorUrl}?q=${encodeURIComponent(hostile.shopper.email)}`);
    expect(await page.title()).not.toBe('owned');
    expect(await page.locator('img, script').count()).toBe(0);
    expect(await page.locator('main').textContent()).toContain('<img src=x onerror=');
    expect(await page.locator('main').textContent()).not.toContain(XSS_NAME);
    expect(dialogs).toEqual([]);
    await page.close();
  });
});
