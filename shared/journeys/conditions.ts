import type { PersonAttributes } from '../canonical/person.js';

/** A person attribute the connector maintains (docs/events.md, "Person attributes"). */
export type AttributeName = keyof PersonAttributes;

/** A value a condition compares with: Customer.io stores JSON scalars. */
export type Scalar = string | number | boolean;

/**
 * One operator of Customer.io's segment builder and its operand. Timestamps are Unix seconds (how the connector
 * sends `last_order_at` and the other timestamp attributes); `daysAgo` is relative to the moment of evaluation.
 */
export type Comparison =
  | { readonly op: 'equals'; readonly value: Scalar }
  | { readonly op: 'greaterThan' | 'lessThan'; readonly value: number }
  | { readonly op: 'contains'; readonly value: string }
  | { readonly op: 'exists' | 'notExists' }
  | { readonly op: 'timestampBefore' | 'timestampAfter'; readonly daysAgo: number };

/** A filter on event data: a property compared, or a list of objects of which at least one entry matches. */
export type PropertyFilter =
  | { readonly property: string; readonly is: Comparison }
  | { readonly property: string; readonly atLeastOne: readonly PropertyFilter[] };

/** Customer.io segment windows count whole days ("within the past N days"); the builder offers nothing shorter. */
export interface DayWindow {
  readonly days: number;
}

/** A segment or filter condition, as entered in Customer.io's condition builder. */
export type Condition =
  | { readonly kind: 'attribute'; readonly attribute: AttributeName; readonly is: Comparison }
  | {
      readonly kind: 'event';
      readonly performed: boolean;
      readonly event: string;
      /** Omitted: over all time. */
      readonly within?: DayWindow;
      readonly where: readonly PropertyFilter[];
    }
  | { readonly kind: 'all' | 'any'; readonly of: readonly Condition[] };

/** A delay in a campaign workflow (Customer.io waits accept minutes, hours and days). */
export interface Span {
  readonly amount: number;
  readonly unit: 'minutes' | 'hours' | 'days';
}

/** An event with data filters: a campaign trigger or conversion goal. */
export interface EventMatch {
  readonly event: string;
  readonly where: readonly PropertyFilter[];
}

/** One message of a campaign, sent `after` the trigger when its own send condition holds (e.g. channel consent). */
export interface CampaignMessage {
  readonly channel: 'email' | 'sms';
  readonly after: Span;
  readonly sendIf: Condition;
}

/** Customer.io's exit criteria for an event-triggered campaign. */
export type ExitCriteria = 'goal' | 'filter' | 'goal-or-filter';

/** An event-triggered campaign. */
export interface Campaign {
  readonly trigger: EventMatch;
  /** Checked when the person enters and, with exit criteria on the filter, again before each message. */
  readonly filter?: Condition;
  readonly goal?: EventMatch;
  readonly exit: ExitCriteria;
  readonly messages: readonly CampaignMessage[];
}

/** Attribute condition: `<attribute> <operator> <value>`. */
export const attribute = (name: AttributeName, is: Comparison): Condition => ({
  kind: 'attribute',
  attribute: name,
  is,
});

/** Event condition "has performed". */
export const performed = (
  event: string,
  options: { readonly within?: DayWindow; readonly where?: readonly PropertyFilter[] } = {},
): Condition => ({
  kind: 'event',
  performed: true,
  event,
  where: options.where ?? [],
  ...pickWindow(options),
});

/** Event condition "has not performed". */
export const notPerformed = (
  event: string,
  options: { readonly within?: DayWindow; readonly where?: readonly PropertyFilter[] } = {},
): Condition => ({
  kind: 'event',
  performed: false,
  event,
  where: options.where ?? [],
  ...pickWindow(options),
});

const pickWindow = (options: { readonly within?: DayWindow }): { within?: DayWindow } =>
  options.within ? { within: options.within } : {};

/** Every condition must match. */
export const allOf = (...of: Condition[]): Condition => ({ kind: 'all', of });

/** At least one condition must match. */
export const anyOf = (...of: Condition[]): Condition => ({ kind: 'any', of });

/** "is equal to". */
export const isEqualTo = (value: Scalar): Comparison => ({ op: 'equals', value });

/** "is greater than". */
export const isGreaterThan = (value: number): Comparison => ({ op: 'greaterThan', value });

/** "contains" (a substring of a text value, or an element of a list). */
export const contains = (value: string): Comparison => ({ op: 'contains', value });

/** "does not exist". */
export const doesNotExist = (): Comparison => ({ op: 'notExists' });

/** "is a timestamp before N days ago". */
export const timestampBeforeDaysAgo = (daysAgo: number): Comparison => ({ op: 'timestampBefore', daysAgo });

/** An event data filter on one property. */
export const where = (property: string, is: Comparison): PropertyFilter => ({ property, is });

/** An event data filter on a list of objects: "where at least one" entry matches every filter given. */
export const whereAtLeastOne = (property: string, ...filters: PropertyFilter[]): PropertyFilter => ({
  property,
  atLeastOne: filters,
});

/** An event to trigger on or convert on, with its event data filters. */
export const onEvent = (event: string, ...filters: PropertyFilter[]): EventMatch => ({
  event,
  where: filters,
});

/** A delay of N units. */
export const span = (amount: number, unit: Span['unit']): Span => ({ amount, unit });

/** The span in milliseconds. */
export const spanMs = (value: Span): number =>
  value.amount * { minutes: 60_000, hours: 3_600_000, days: 86_400_000 }[value.unit];

/** One day in milliseconds (segment windows and relative timestamps count whole days). */
export const DAY_MS = 86_400_000;
