/**
 * One line of non-personal facts about a canonical event for the timeline: order id, amount, item count, the first
 * product names, a rating, a recovery step. Only these named properties are read, so a search query, an address
 * or a note typed by a shopper never reaches the activity record. Product names come from payloads: the inspector
 * escapes them like any other text.
 */

type Properties = Readonly<Record<string, unknown>>;

const MAX_NAME_CHARS = 40;
const MAX_NAMES = 2;

const clip = (text: string, max: number): string => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

const textOf = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;

const numberOf = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined;

const productNames = (products: unknown): { names: string[]; count: number } => {
  if (!Array.isArray(products)) return { names: [], count: 0 };
  const names = products
    .flatMap((line) => {
      const name = textOf((line as { name?: unknown } | null)?.name);
      return name ? [clip(name, MAX_NAME_CHARS)] : [];
    })
    .slice(0, MAX_NAMES);
  return { names, count: products.length };
};

/** The summary of an event's properties, or undefined when none of the known facts is there. */
export const summarizeEvent = (properties: Properties): string | undefined => {
  const parts: string[] = [];
  const order = textOf(properties.order_id);
  if (order) parts.push(`order ${order}`);
  const refund = textOf(properties.refund_id);
  if (refund) parts.push(`refund ${refund}`);
  const subscription = textOf(properties.subscription_id);
  if (subscription) parts.push(`subscription ${subscription}`);
  const step = numberOf(properties.step);
  if (step !== undefined) parts.push(`step ${step}`);
  const amount = numberOf(properties.total) ?? numberOf(properties.value) ?? numberOf(properties.price);
  const currency = textOf(properties.currency);
  if (amount !== undefined) parts.push(`${amount.toFixed(2)}${currency ? ` ${clip(currency, 3)}` : ''}`);
  const rating = numberOf(properties.rating);
  if (rating !== undefined) parts.push(`rating ${rating}/5`);
  const { names, count } = productNames(properties.products);
  const total = numberOf(properties.products_total_count) ?? count;
  if (total > 0) parts.push(`${total} line${total === 1 ? '' : 's'}`);
  const single = textOf(properties.product_name);
  const shown = names.length > 0 ? names : single ? [clip(single, MAX_NAME_CHARS)] : [];
  if (shown.length > 0) parts.push(`${shown.join(', ')}${total > shown.length ? ', …' : ''}`);
  return parts.length > 0 ? clip(parts.join(' · '), 240) : undefined;
};
