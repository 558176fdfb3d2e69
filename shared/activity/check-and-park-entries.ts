import { tryParseJson } from '../json/lossless-json.js';
import type { QueueMessage } from '../ports/message-queue.js';
import type { ActivityRecord, CartCheckEntry } from './activity-entry.js';
import { subjectOf } from './activity-subject.js';
import { shortHash } from './delivery-entry.js';

/** The input of a fired cart check (shared/cart/recovery-scheduler.ts). */
interface CheckInput {
  readonly shop: string;
  readonly cart_token: string;
  readonly step: number;
}

/** What a cart check did (shared/cart/check-cart.ts), or that its failure was parked. */
export type CheckOutcome =
  | { readonly kind: 'exited'; readonly reason: string }
  | { readonly kind: 'rescheduled'; readonly due_at: string }
  | { readonly kind: 'emitted'; readonly name: string; readonly next_step?: number }
  | { readonly kind: 'parked'; readonly code: string };

/** Where a parked message's person is read from, per origin: its body gives the shop and subject, or nothing. */
export type ParkedSubjectOf = (
  body: string,
) => { readonly shop: string; readonly subject: string; readonly what?: string } | undefined;

type Json = Record<string, unknown>;
const obj = (value: unknown): Json | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;

/** The activity record of one fired cart check, filed under its cart. */
export const cartCheckRecord = (input: CheckInput, outcome: CheckOutcome, at: Date): ActivityRecord => {
  const entry: CartCheckEntry = {
    kind: 'cart-check',
    cart: input.cart_token.slice(0, 256),
    step: input.step,
    outcome: outcome.kind,
    ...(outcome.kind === 'exited' ? { reason: outcome.reason.slice(0, 64) } : {}),
    ...(outcome.kind === 'parked' ? { reason: outcome.code.slice(0, 64) } : {}),
    ...(outcome.kind === 'emitted' ? { event: outcome.name.slice(0, 100) } : {}),
    ...(outcome.kind === 'rescheduled' ? { dueAt: outcome.due_at.slice(0, 40) } : {}),
  };
  return {
    shop: input.shop,
    subject: subjectOf('cart', input.cart_token),
    at: at.toISOString(),
    uniqueness: shortHash('cart-check', input.cart_token, String(input.step), outcome.kind, at.toISOString()),
    entry,
  };
};

/** The cart of a cart-check dead letter: its input, or the input inside Lambda's invocation record. */
export const cartCheckSubject: ParkedSubjectOf = (body) => {
  const json = obj(tryParseJson(body));
  const input = obj(json?.requestPayload) ?? json;
  const shop = input?.shop;
  const cart = input?.cart_token;
  return typeof shop === 'string' && typeof cart === 'string' && shop && cart
    ? { shop, subject: subjectOf('cart', cart), what: `cart check of ${cart.slice(0, 100)}` }
    : undefined;
};

/**
 * The activity record of a message a worker parked, from the dead letter itself (its failure attributes and body),
 * filed under the person the body names. Undefined when the body names nobody (the inspector still finds the
 * message by reading the DLQ).
 */
export const parkedRecord = (
  message: QueueMessage,
  subjectOfBody: ParkedSubjectOf,
  at: Date,
): ActivityRecord | undefined => {
  const where = subjectOfBody(message.body);
  const attributes = message.attributes ?? {};
  const origin = attributes.origin;
  if (!where || (origin !== 'inbox' && origin !== 'outbox' && origin !== 'cart-check')) return undefined;
  const deliveryId = attributes.delivery_id?.slice(0, 256);
  return {
    shop: where.shop,
    subject: where.subject,
    at: attributes.failed_at ?? at.toISOString(),
    uniqueness: shortHash('parked', origin, message.body),
    entry: {
      kind: 'parked',
      origin,
      code: (attributes.failure_code ?? 'unknown').slice(0, 64),
      ...(attributes.failure_class ? { failureClass: attributes.failure_class.slice(0, 32) } : {}),
      ...(deliveryId ? { deliveryId } : {}),
      ...(where.what ? { what: where.what.slice(0, 200) } : {}),
    },
  };
};
