import type { PlatformRequest } from '../helpers/platform-requests.js';

/**
 * The chaos run's plan and its oracle: what the platforms send and what Customer.io must end up with. Both are
 * computed from the generated scenario and the documented contracts (docs/events.md, docs/sources.md), never from
 * the connector's code.
 */

/** One platform delivery of the plan (sent once or more: duplicates are copies of it). */
export interface PlannedDelivery {
  /** The delivery id the connector records (docs/sources.md: Shopify's webhook id, the Svix id, a body hash...). */
  readonly deliveryId: string;
  /** What it is, for the report: `shopify orders/create`. */
  readonly label: string;
  /** The request at the moment it is sent (Okendo and Recharge sign with the current time, as they do). */
  readonly request: (now: Date) => PlatformRequest;
  /** The answer that means accepted (200 for webhooks, 202 for beacons). */
  readonly accepted: number;
  /** Milliseconds after the start of sending at which the first copy goes out. */
  readonly at: number;
  /** Copies sent in all (1 to 3): platform retries of the same delivery. */
  readonly copies: number;
}

/** An event's attributes as Customer.io received them. */
export type EventAttributes = Readonly<Record<string, unknown>>;

/** One event that must reach Customer.io under exactly one id, or be parked with a reason. */
export interface ExpectedEvent {
  /** Human-readable, unique in the run: `Order Completed order=…`. */
  readonly key: string;
  readonly name: string;
  /** Whether a delivered event of this name is this one (by its business properties). */
  readonly matches: (attributes: EventAttributes) => boolean;
  /** Deliveries that produce it or that it waits on: their parking accounts for it. */
  readonly deliveries: readonly string[];
  /** The cart and step of a recovery event: a parked cart check of that step accounts for it. */
  readonly cartStep?: { readonly cartToken: string; readonly step: number };
}

/** Events that may arrive without being expected, and why (a conversion learnt after the step was due). */
export interface ToleratedEvent {
  readonly why: string;
  readonly name: string;
  readonly matches: (attributes: EventAttributes) => boolean;
}

/** The person state a sequence of updates must leave in Customer.io. */
interface ExpectedPerson {
  readonly customerId: string;
  /** Attribute values the newest update set. */
  readonly attributes: Readonly<Record<string, unknown>>;
  readonly deliveries: readonly string[];
}

/** A story's part of the plan. */
export interface Story {
  readonly kind: string;
  readonly deliveries: readonly PlannedDelivery[];
  readonly expected: readonly ExpectedEvent[];
  readonly tolerated?: readonly ToleratedEvent[];
  readonly people?: readonly ExpectedPerson[];
}

/** The whole plan of a run. */
export interface Scenario {
  readonly seed: number;
  readonly stories: readonly Story[];
  readonly deliveries: readonly PlannedDelivery[];
  readonly expected: readonly ExpectedEvent[];
  readonly tolerated: readonly ToleratedEvent[];
  readonly people: readonly ExpectedPerson[];
}
