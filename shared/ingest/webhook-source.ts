import type { ShopWebhookSecrets, WebhookPlatform, WebhookSecrets } from '../config/secrets.js';
import type { ShopDirectory } from '../config/shops.js';
import type { HttpRequest } from '../http/http-types.js';
import type { SignatureFailureReason, SignatureResult } from '../signatures/signature-result.js';
import type { SourceName } from './envelope.js';

/** Transport facts about one delivery, taken from verified headers. */
interface DeliveryMeta {
  readonly topic: string;
  /** The configured shop the delivery is bound to (its canonical myshopify domain). */
  readonly shop: string;
  readonly deliveryId: string;
  readonly eventId?: string;
  readonly apiVersion?: string;
  readonly triggeredAt?: string;
}

/**
 * Why a delivery was refused before queueing. `unknown_shop`: the delivery names no configured shop (or a shop
 * without this platform's secrets), so nothing can verify it. `shop_mismatch`: it verified with one shop's
 * secret but its payload names another shop.
 */
export type RejectReason =
  | SignatureFailureReason
  | 'missing_headers'
  | 'not_configured'
  | 'unknown_shop'
  | 'shop_mismatch';

/** Result of checking one delivery: accepted with its meta, or refused with a reason. */
export type AcceptResult =
  | { readonly ok: true; readonly meta: DeliveryMeta }
  | { readonly ok: false; readonly reason: RejectReason; readonly missing?: readonly string[] };

/** What a source checks a delivery against. */
export interface AcceptContext {
  readonly secrets: WebhookSecrets;
  readonly shops: ShopDirectory;
  readonly now: Date;
  /** The secret segment of `/webhooks/<source>/<token>` (Yotpo), when present. */
  readonly pathToken?: string;
}

/** A webhook platform's ingress rules: how its signature is checked and where its transport facts are. */
export interface WebhookSource {
  readonly name: SourceName;
  /** Binds the delivery to a configured shop and verifies its signature over the raw bytes with that shop's secret. Pure. */
  accept(request: HttpRequest, context: AcceptContext): AcceptResult;
}

/** Lists the required headers that are absent or blank. */
export const missingHeaders = (
  headers: Readonly<Record<string, string>>,
  names: readonly string[],
): string[] => names.filter((name) => (headers[name] ?? '').trim() === '');

/** A platform's secrets of one configured shop (shops missing from `SHOPS` have none, whatever the secret says). */
const secretsOf = <P extends WebhookPlatform>(
  context: AcceptContext,
  shop: string,
  platform: P,
): NonNullable<ShopWebhookSecrets[P]> | undefined => {
  if (context.shops.settings(shop) === undefined) return undefined;
  const shopSecrets = Object.hasOwn(context.secrets.shops, shop) ? context.secrets.shops[shop] : undefined;
  return shopSecrets?.[platform] ?? undefined;
};

/** A delivery bound to a configured shop, with that shop's secrets of the platform. */
export type BoundShop<P extends WebhookPlatform> =
  | { readonly ok: true; readonly shop: string; readonly secrets: NonNullable<ShopWebhookSecrets[P]> }
  | { readonly ok: false; readonly reason: RejectReason };

/**
 * For platforms that name the shop outside the signed bytes (a header): the shop the delivery claims, normalized
 * and looked up, then that shop's secrets. The claim is only a selector: a signature made with another shop's
 * secret cannot pass, so a replay under another (or a re-spelled) shop name is refused.
 */
export const claimedShop = <P extends WebhookPlatform>(
  context: AcceptContext,
  platform: P,
  claimed: string | undefined,
): BoundShop<P> => {
  const shop = context.shops.resolve(claimed);
  if (shop === undefined) return { ok: false, reason: 'unknown_shop' };
  const secrets = secretsOf(context, shop, platform);
  return secrets === undefined ? { ok: false, reason: 'not_configured' } : { ok: true, shop, secrets };
};

const FAILURE_PRIORITY: readonly SignatureFailureReason[] = [
  'stale_timestamp',
  'malformed_body',
  'invalid_signature',
  'malformed_signature',
  'missing_signature',
  'missing_secret',
];

/**
 * For platforms that name the shop inside the signed payload or identify it by the secret itself: every configured
 * shop with this platform's secrets is tried (no early exit), and the shops whose secret verified are returned.
 * The caller then requires the payload's shop to be one of them.
 */
export const verifyingShops = <P extends WebhookPlatform>(
  context: AcceptContext,
  platform: P,
  verify: (secrets: NonNullable<ShopWebhookSecrets[P]>) => SignatureResult,
):
  | { readonly ok: true; readonly shops: readonly string[] }
  | { readonly ok: false; readonly reason: RejectReason } => {
  const verified: string[] = [];
  const failures = new Set<SignatureFailureReason>();
  let configured = 0;
  for (const shop of context.shops.shops) {
    const secrets = secretsOf(context, shop, platform);
    if (secrets === undefined) continue;
    configured += 1;
    const result = verify(secrets);
    if (result.ok) verified.push(shop);
    else failures.add(result.reason);
  }
  if (configured === 0) return { ok: false, reason: 'not_configured' };
  if (verified.length > 0) return { ok: true, shops: verified };
  return {
    ok: false,
    reason: FAILURE_PRIORITY.find((reason) => failures.has(reason)) ?? 'invalid_signature',
  };
};
