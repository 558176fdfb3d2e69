import { type QaContext, qaOrder, qaShopper } from './qa-context.js';
import { checkoutCreated, orderCreated, pixelData, type QaShopper, qaProduct } from './qa-payloads.js';

/** Details of a cross-device run, for the browser test and the inspector. */
export interface CrossDeviceRun {
  readonly shopper: QaShopper;
  readonly browsers: readonly [string, string];
  readonly cartToken: string;
  readonly checkoutToken: string;
  readonly orderId: string;
}

/**
 * The cross-device journey: a phone and a desktop browse anonymously (the phone adds to cart, the desktop views the
 * same cart once the shopper logged in there and starts the checkout), Shopify reports the checkout, then the order.
 * Both browsers are merged into the buyer, and the checkout is never reported abandoned.
 */
export const sendCrossDevice = async (
  ctx: QaContext,
  options: { readonly productTitle?: string; readonly firstName?: string } = {},
): Promise<CrossDeviceRun> => {
  const shopper = qaShopper(ctx, 'devices', options.firstName);
  const product = qaProduct(options.productTitle);
  const browsers = [`qa-${ctx.run}-phone`, `qa-${ctx.run}-desktop`] as const;
  const cartToken = `qa-${ctx.run}-cart`;
  const checkoutToken = `qa-${ctx.run}-checkout`;
  const { sender } = ctx;
  await sender.beacon('product_viewed', browsers[0], pixelData.productViewed(product), '/products/qa-mug');
  await sender.beacon(
    'product_added_to_cart',
    browsers[0],
    pixelData.addedToCart(product),
    '/products/qa-mug',
  );
  await sender.beacon('cart_viewed', browsers[0], pixelData.cartViewed(cartToken, product), '/cart');
  await sender.beacon('cart_viewed', browsers[1], pixelData.cartViewed(cartToken, product), '/cart');
  await sender.beacon(
    'checkout_started',
    browsers[1],
    pixelData.checkoutStarted(checkoutToken),
    `/checkouts/cn/${cartToken}`,
  );
  await sender.shopify(
    'checkouts/create',
    checkoutCreated({
      token: checkoutToken,
      cartToken,
      shopper,
      product,
      shop: sender.shop,
      at: ctx.clock(),
    }),
  );
  const bought = qaOrder(ctx, shopper, { product, cartToken, checkoutToken });
  await sender.shopify('orders/create', orderCreated(bought));
  return { shopper, browsers, cartToken, checkoutToken, orderId: bought.id };
};
