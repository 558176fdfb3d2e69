import type { LineItem, PersonRef } from '../../canonical/common.js';
import type { PersonAttributes } from '../../canonical/person.js';
import { toE164 } from '../../identity/phone.js';
import type { ShopifyLineItem, ShopifyOrder } from './shopify-schemas.js';

const cents = (value: number): number => Math.round(value * 100) / 100;

/** Maps a Shopify line item to the canonical line item. */
export const toLineItem = (item: ShopifyLineItem): LineItem => {
  const allocated = (item.discount_allocations ?? []).reduce((sum, d) => sum + d.amount, 0);
  return {
    product_id: item.product_id ?? null,
    variant_id: item.variant_id ?? null,
    sku: item.sku ? item.sku : null,
    name: item.title ?? item.name ?? '',
    variant_name: item.variant_title ? item.variant_title : null,
    brand: item.vendor ? item.vendor : null,
    category: item.product_type ? item.product_type : null,
    quantity: item.quantity,
    price: item.price,
    discount: cents(Math.max(item.total_discount ?? 0, allocated)),
    url: null,
    image_url: null,
  };
};

/** Converts a Shopify timestamp (with offset) to ISO 8601 UTC. */
export const isoTime = (value: string): string => new Date(value).toISOString();

/** Lower-cased, trimmed email or undefined. */
export const cleanEmail = (value: string | null | undefined): string | undefined => {
  const email = value?.trim().toLowerCase();
  return email ? email : undefined;
};

/** The person an order belongs to, as Shopify (a signed source) states it. */
export const orderPerson = (order: ShopifyOrder): PersonRef => {
  const email =
    cleanEmail(order.email) ?? cleanEmail(order.contact_email) ?? cleanEmail(order.customer?.email);
  const country =
    order.shipping_address?.country_code ?? order.customer?.default_address?.country_code ?? undefined;
  const phone = toE164(order.phone ?? order.customer?.phone, country);
  return {
    ...(order.customer ? { customer_id: order.customer.id } : {}),
    ...(email ? { email } : {}),
    ...(phone ? { phone } : {}),
  };
};

/** Person attributes an order reveals. */
export const orderPersonAttributes = (order: ShopifyOrder, person: PersonRef): PersonAttributes => {
  const c = order.customer;
  const address = order.shipping_address ?? c?.default_address;
  const attributes: PersonAttributes = {
    email: person.email,
    phone: person.phone,
    first_name: c?.first_name ?? undefined,
    last_name: c?.last_name ?? undefined,
    shopify_customer_id: c?.id,
    city: address?.city ?? undefined,
    country_code: address?.country_code ?? undefined,
    locale: order.customer_locale ?? undefined,
    created_at: c?.created_at ? Math.floor(Date.parse(c.created_at) / 1000) : undefined,
  };
  return Object.fromEntries(
    Object.entries(attributes).filter(([, v]) => v !== undefined && v !== ''),
  ) as PersonAttributes;
};
