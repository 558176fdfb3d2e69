/**
 * The numeric id inside a Shopify global id (`gid://shopify/Order/450789469` → `450789469`), the id webhooks carry:
 * business keys built from it match the live webhook's. Undefined for anything else (another type, no number).
 */
export const numericId = (gid: string, type: string): string | undefined => {
  const prefix = `gid://shopify/${type}/`;
  if (!gid.startsWith(prefix)) return undefined;
  const rest = gid.slice(prefix.length);
  const end = rest.indexOf('?');
  const id = end < 0 ? rest : rest.slice(0, end);
  return /^[1-9]\d{0,19}$/.test(id) ? id : undefined;
};

/** The type named by a global id (`gid://shopify/LineItem/1` → `LineItem`), or undefined. */
export const gidType = (gid: string): string | undefined => {
  if (!gid.startsWith('gid://shopify/')) return undefined;
  const rest = gid.slice('gid://shopify/'.length);
  const slash = rest.indexOf('/');
  return slash > 0 ? rest.slice(0, slash) : undefined;
};
