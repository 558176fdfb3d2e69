import { randomUUID } from 'node:crypto';
import { signJudgemeBody } from '../signatures/judgeme-signature.js';
import { signRechargeTimestamped } from '../signatures/recharge-signature.js';
import { signShopifyBody } from '../signatures/shopify-signature.js';

/** What the QA kit signs with: each platform's secret of the QA shop, and its storefront beacon key and origin. */
export interface QaSecrets {
  readonly shopify?: string;
  readonly recharge?: string;
  readonly judgeme?: string;
  readonly storefront?: { readonly key: string; readonly origin: string };
}

/** A platform a scenario sends from. */
export type QaPlatform = 'shopify' | 'recharge' | 'judgeme' | 'storefront';

/** Where the env variable of each platform's secret is named, for a missing-secret message. */
export const SECRET_VARIABLES: Readonly<Record<QaPlatform, string>> = {
  shopify: 'QA_SHOPIFY_SECRET',
  recharge: 'QA_RECHARGE_SECRET',
  judgeme: 'QA_JUDGEME_SECRET',
  storefront: 'QA_STOREFRONT_KEY and QA_STOREFRONT_ORIGIN',
};

/** A delivery the connector refused: the scenario fails with the status and error it answered. */
class QaSendError extends Error {
  override readonly name = 'QaSendError';
}

/**
 * Sends signed deliveries to a connector exactly as the platforms do (raw bytes signed, headers set), and storefront
 * beacons as the Web Pixel does. Every send insists on the connector's accepting answer.
 */
export class QaSender {
  private readonly base: string;

  constructor(
    apiUrl: string,
    readonly shop: string,
    private readonly secrets: QaSecrets,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.base = apiUrl.replace(/\/+$/, '');
  }

  /** Whether the secrets to send from a platform are there. */
  can(platform: QaPlatform): boolean {
    return platform === 'storefront'
      ? this.secrets.storefront !== undefined
      : this.secrets[platform] !== undefined;
  }

  /** A Shopify webhook; returns its delivery id. */
  async shopify(topic: string, payload: unknown, webhookId: string = randomUUID()): Promise<string> {
    const body = JSON.stringify(payload);
    await this.post(`/webhooks/shopify`, body, 200, {
      'x-shopify-topic': topic,
      'x-shopify-hmac-sha256': signShopifyBody(body, this.need('shopify')),
      'x-shopify-shop-domain': this.shop,
      'x-shopify-webhook-id': webhookId,
      'x-shopify-event-id': randomUUID(),
      'x-shopify-api-version': '2026-07',
      'x-shopify-triggered-at': this.clock().toISOString(),
    });
    return webhookId;
  }

  /** A Recharge webhook, signed with the timestamped scheme. */
  async recharge(topic: string, payload: unknown): Promise<void> {
    const body = JSON.stringify(payload);
    const t = Math.floor(this.clock().getTime() / 1000);
    await this.post('/webhooks/recharge', body, 200, {
      'x-recharge-topic': topic,
      'x-recharge-external-platform-domain': this.shop,
      'x-recharge-webhook-signature': signRechargeTimestamped(body, this.need('recharge'), t),
      'x-recharge-webhook-timestamp': String(t),
      'x-recharge-version': '2021-11',
    });
  }

  /** A Judge.me webhook. */
  async judgeme(payload: unknown): Promise<void> {
    const body = JSON.stringify(payload);
    await this.post('/webhooks/judgeme', body, 200, {
      'judgeme-hmac-sha256': signJudgemeBody(body, this.need('judgeme')),
    });
  }

  /** A storefront beacon of a browser (`clientId`). */
  async beacon(name: string, clientId: string, data: unknown, path = '/'): Promise<void> {
    const storefront = this.secrets.storefront;
    if (!storefront) throw new QaSendError(`no storefront key: set ${SECRET_VARIABLES.storefront}`);
    const body = JSON.stringify({
      shop: this.shop,
      key: storefront.key,
      event: {
        id: randomUUID(),
        name,
        clientId,
        timestamp: this.clock().toISOString(),
        type: 'standard',
        data,
        context: {
          document: { location: { href: `${storefront.origin}${path}` }, referrer: null, title: 'QA' },
        },
      },
    });
    await this.post('/collect', body, 202, {
      origin: storefront.origin,
      'content-type': 'text/plain;charset=UTF-8',
    });
  }

  private need(platform: 'shopify' | 'recharge' | 'judgeme'): string {
    const secret = this.secrets[platform];
    if (!secret) throw new QaSendError(`no ${platform} secret: set ${SECRET_VARIABLES[platform]}`);
    return secret;
  }

  private async post(
    path: string,
    body: string,
    expected: number,
    headers: Record<string, string>,
  ): Promise<void> {
    const response = await fetch(`${this.base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    });
    const text = await response.text();
    if (response.status !== expected) {
      throw new QaSendError(`POST ${path} answered ${response.status} ${text.slice(0, 200)}`);
    }
  }
}
