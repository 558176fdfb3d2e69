// Commerce connector: Shopify custom pixel (Settings → Customer events → Add custom pixel).
// Paste this whole file into the code box, fill in the three values below, save and connect.
// See docs/storefront-pixel.md for what is sent and why.

const CONNECTOR_URL = 'https://REPLACE-WITH-YOUR-API-ID.execute-api.REGION.amazonaws.com/collect';
const SHOP = 'REPLACE-WITH-YOUR-SHOP.myshopify.com';
const PUBLIC_KEY = 'pk_REPLACE_WITH_THE_PUBLIC_KEY';

const EVENTS = [
  'product_viewed',
  'collection_viewed',
  'product_added_to_cart',
  'product_removed_from_cart',
  'cart_viewed',
  'search_submitted',
  'checkout_started',
  'checkout_completed',
];

// Only the page URL, referrer and title leave the browser: no navigator or window snapshot.
function pageOf(context) {
  const doc = context?.document || {};
  return {
    document: {
      location: { href: doc.location?.href || '' },
      referrer: doc.referrer || null,
      title: doc.title || null,
    },
  };
}

// Checkout data is reduced to tokens, lines and totals: no email, phone or address is ever sent.
function dataOf(event) {
  const data = event.data || {};
  if (!data.checkout) return data;
  const c = data.checkout;
  return {
    checkout: {
      token: c.token || null,
      currencyCode: c.currencyCode || null,
      lineItems: c.lineItems || [],
      subtotalPrice: c.subtotalPrice || null,
      totalPrice: c.totalPrice || null,
      totalTax: c.totalTax || null,
      order: { id: c.order?.id || null },
    },
  };
}

function send(event) {
  const body = JSON.stringify({
    shop: SHOP,
    key: PUBLIC_KEY,
    event: {
      id: event.id,
      name: event.name,
      clientId: event.clientId,
      timestamp: event.timestamp,
      seq: event.seq,
      type: event.type,
      data: dataOf(event),
      context: pageOf(event.context),
    },
  });
  // text/plain is a CORS "simple" content type: no preflight round trip, and keepalive lets the request
  // finish while the shopper navigates away. The connector parses the body as JSON either way.
  fetch(CONNECTOR_URL, {
    method: 'POST',
    keepalive: true,
    credentials: 'omit',
    headers: { 'content-type': 'text/plain;charset=UTF-8' },
    body,
  }).catch(() => {});
}

for (const name of EVENTS) analytics.subscribe(name, send);

// Page views are sent only for landings (first touch): no referrer, another site's, or campaign parameters in
// the URL. Navigation inside the shop is not sent, so this costs one beacon per visit, not one per page.
function isLanding(event) {
  const doc = event.context?.document || {};
  const href = doc.location?.href || '';
  if (/[?&](utm_[a-z]+|gclid|gbraid|wbraid|msclkid)=/.test(href)) return true;
  if (!doc.referrer) return true;
  try {
    return new URL(doc.referrer).hostname !== new URL(href).hostname;
  } catch {
    return false;
  }
}

analytics.subscribe('page_viewed', (event) => {
  if (isLanding(event)) send(event);
});
