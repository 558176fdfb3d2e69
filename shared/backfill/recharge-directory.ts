import * as z from 'zod';
import type { RechargeClient } from '../admin-api/recharge/recharge-client.js';

/** What a Recharge subscription needs to name its person: the customer's email and Shopify customer id. */
interface RechargeCustomerFacts {
  readonly email?: string;
  readonly shopifyCustomerId?: string;
}

const CustomerSchema = z.looseObject({
  id: z.union([z.string(), z.number()]).transform(String),
  email: z.string().nullish(),
  shopify_customer_id: z.union([z.string(), z.number()]).nullish(),
  external_customer_id: z.looseObject({ ecommerce: z.union([z.string(), z.number()]).nullish() }).nullish(),
});

const factsOf = (item: unknown): [string, RechargeCustomerFacts] | undefined => {
  const parsed = CustomerSchema.safeParse(item);
  if (!parsed.success) return undefined;
  const shopify = parsed.data.external_customer_id?.ecommerce ?? parsed.data.shopify_customer_id;
  return [
    parsed.data.id,
    {
      ...(parsed.data.email ? { email: parsed.data.email } : {}),
      ...(shopify !== null && shopify !== undefined ? { shopifyCustomerId: String(shopify) } : {}),
    },
  ];
};

/**
 * Recharge customers by id, so a subscription (whose 2021-11 payload names only the Recharge customer) can carry
 * its customer's email and Shopify id: the process worker then resolves the person without waiting for the
 * customer's own record to be processed first (the inbox has no order). Filled from the customers read; a
 * customer not seen there is fetched once (`GET /customers/{id}`).
 */
export class RechargeDirectory {
  private readonly known = new Map<string, RechargeCustomerFacts>();

  constructor(private readonly client: RechargeClient) {}

  /** Remembers customers read from the list. */
  learn(items: readonly unknown[]): void {
    for (const item of items) {
      const facts = factsOf(item);
      if (facts) this.known.set(facts[0], facts[1]);
    }
  }

  /** The subscription with its customer's email and Shopify id filled in where it lacks them. */
  async enrich(subscription: Record<string, unknown>): Promise<Record<string, unknown>> {
    const id = subscription.customer_id;
    if (typeof id !== 'string' && typeof id !== 'number') return subscription;
    let facts = this.known.get(String(id));
    if (!facts) {
      const found = factsOf(await this.client.customer(String(id)));
      facts = found?.[1] ?? {};
      this.known.set(String(id), facts);
    }
    const hasShopify = Boolean(
      (subscription.external_customer_id as { ecommerce?: unknown } | null | undefined)?.ecommerce ??
        subscription.shopify_customer_id,
    );
    return {
      ...subscription,
      ...(!subscription.email && facts.email ? { email: facts.email } : {}),
      ...(!hasShopify && facts.shopifyCustomerId
        ? { external_customer_id: { ecommerce: facts.shopifyCustomerId } }
        : {}),
    };
  }
}
