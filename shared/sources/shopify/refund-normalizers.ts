import type { LineItem } from '../../canonical/common.js';
import { roundMoney } from '../../canonical/common.js';
import type { CanonicalEventDraft } from '../../canonical/events.js';
import { normalized, parsePayload, type TopicNormalizer } from '../../normalize/normalizer.js';
import { isoTime, toLineItem } from './shopify-mappers.js';
import { type ShopifyRefund, ShopifyRefundSchema } from './shopify-schemas.js';

/** One Order Refunded per shop and refund (an order can be refunded several times). */
const orderRefundedKey = (shop: string, refundId: string): string => `order-refunded#${shop}#${refundId}`;

const refundedLines = (refund: ShopifyRefund): LineItem[] =>
  refund.refund_line_items.map((rli) => {
    const line = toLineItem(rli.line_item);
    const share = line.quantity > 0 ? rli.quantity / line.quantity : 0;
    return { ...line, quantity: rli.quantity, discount: roundMoney(line.discount * share) };
  });

/** Money actually returned: successful refund transactions (a failed or pending attempt moved nothing). */
const refundedAmount = (refund: ShopifyRefund): number =>
  roundMoney(
    refund.transactions
      .filter((t) => t.kind === 'refund' && (t.status ?? 'success') === 'success')
      .reduce((sum, t) => sum + t.amount, 0),
  );

const isoCurrency = (code: string | null | undefined): string | null =>
  code && /^[A-Z]{3}$/.test(code) ? code : null;

/**
 * The refund's currency: the transactions' own (the amount is in it), else the shop currency of the refunded
 * lines or duties, which Shopify sends as `*_set` pairs.
 */
const refundCurrencies = (refund: ShopifyRefund) => {
  const sets = [...refund.refund_line_items.map((r) => r.subtotal_set), refund.total_duties_set];
  const shop = sets.map((s) => isoCurrency(s?.shop_money.currency_code)).find((c) => c !== null);
  const presentment = sets
    .map((s) => isoCurrency(s?.presentment_money?.currency_code))
    .find((c) => c !== null);
  const paid = refund.transactions.map((t) => isoCurrency(t.currency)).find((c) => c !== null);
  return { currency: paid ?? shop ?? null, presentment_currency: presentment ?? null };
};

/**
 * refunds/create: one Order Refunded. The payload names no customer, so the event's person is empty here and
 * must be filled from the order (identity stage, by order id) before it can be delivered.
 */
export const normalizeRefundCreated: TopicNormalizer = (payload, envelope) => {
  const refund = parsePayload(ShopifyRefundSchema, payload, `shopify ${envelope.topic}`);
  const products = refundedLines(refund);
  const { currency, presentment_currency } = refundCurrencies(refund);
  const event: CanonicalEventDraft = {
    name: 'Order Refunded',
    dedupe_key: orderRefundedKey(envelope.shop, refund.id),
    source: 'shopify',
    shop: envelope.shop,
    occurred_at: isoTime(refund.processed_at ?? refund.created_at),
    person: {},
    properties: {
      refund_id: refund.id,
      order_id: refund.order_id,
      total: refundedAmount(refund),
      currency,
      presentment_currency,
      products,
      item_count: products.reduce((sum, p) => sum + p.quantity, 0),
      note: refund.note ? refund.note : null,
      restock: refund.restock ?? false,
    },
  };
  return normalized([event]);
};
