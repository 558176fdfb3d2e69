/** A shipping line as Shopify and Recharge send it (only the fields the connector reads). */
interface ShippingLine {
  readonly title?: string | null;
  readonly code?: string | null;
  readonly is_removed?: boolean | null;
}

/**
 * The shipping method(s) of an order: the titles of its shipping lines (the code when a line has no title), in
 * order, each once, joined with ", " ("Standard", "Express, Local delivery"). Removed lines are left out. Null when
 * the order has none (a digital product, a pickup without a shipping line).
 */
export const shippingMethodOf = (lines: readonly ShippingLine[] | null | undefined): string | null => {
  const names = (lines ?? [])
    .filter((line) => line.is_removed !== true)
    .map((line) => (line.title?.trim() || line.code?.trim()) ?? '')
    .filter((name) => name !== '');
  return names.length > 0 ? [...new Set(names)].join(', ') : null;
};
