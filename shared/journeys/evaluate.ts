import { attributesAt, type Person, type PersonEvent } from './capture-people.js';
import {
  type Campaign,
  type CampaignMessage,
  type Comparison,
  type Condition,
  DAY_MS,
  type EventMatch,
  type PropertyFilter,
  spanMs,
} from './conditions.js';

/** Customer.io starts campaigns only on events less than 72 hours old when they arrive. */
const TRIGGER_MAX_AGE_MS = 72 * 3_600_000;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const numberOf = (value: unknown): number | undefined => {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
};

/** One operator applied to one value; `at` (epoch ms) anchors relative timestamps. */
export const compare = (value: unknown, is: Comparison, at: number): boolean => {
  switch (is.op) {
    case 'equals':
      return value === is.value;
    case 'greaterThan': {
      const n = numberOf(value);
      return n !== undefined && n > is.value;
    }
    case 'lessThan': {
      const n = numberOf(value);
      return n !== undefined && n < is.value;
    }
    case 'contains':
      if (typeof value === 'string') return value.includes(is.value);
      return Array.isArray(value) && value.includes(is.value);
    case 'exists':
    case 'notExists': {
      const present = value !== undefined && value !== null && value !== '';
      return is.op === 'exists' ? present : !present;
    }
    case 'timestampBefore':
    case 'timestampAfter': {
      const seconds = numberOf(value);
      if (seconds === undefined) return false;
      const boundary = at - is.daysAgo * DAY_MS;
      return is.op === 'timestampBefore' ? seconds * 1000 < boundary : seconds * 1000 > boundary;
    }
  }
};

/** Whether event data (or one entry of a list in it) passes a filter. */
export const passes = (
  data: Readonly<Record<string, unknown>>,
  filter: PropertyFilter,
  at: number,
): boolean => {
  const value = data[filter.property];
  if ('is' in filter) return compare(value, filter.is, at);
  return (
    Array.isArray(value) &&
    value.some((entry) => isRecord(entry) && filter.atLeastOne.every((inner) => passes(entry, inner, at)))
  );
};

const eventMatches = (event: PersonEvent, match: EventMatch, at: number): boolean =>
  event.name === match.event && match.where.every((filter) => passes(event.data, filter, at));

/**
 * Whether a person matches a condition at `at` (epoch ms), counting only what had arrived by then. "Has not
 * performed … within the past N days" behaves as Customer.io documents: it matches only people known for at least
 * N days (profile created, or an event of theirs dated, at least N days before).
 */
export const matches = (condition: Condition, person: Person, at: number): boolean => {
  switch (condition.kind) {
    case 'all':
      return condition.of.every((c) => matches(c, person, at));
    case 'any':
      return condition.of.some((c) => matches(c, person, at));
    case 'attribute':
      return compare(attributesAt(person, at)[condition.attribute], condition.is, at);
    case 'event': {
      const since = condition.within ? at - condition.within.days * DAY_MS : Number.NEGATIVE_INFINITY;
      const found = person.events.some(
        (e) =>
          e.arrivedAt <= at &&
          e.at <= at &&
          e.at >= since &&
          eventMatches(e, { event: condition.event, where: condition.where }, at),
      );
      if (condition.performed) return found;
      if (found) return false;
      const known = Math.min(
        person.firstSeenAt,
        ...person.events.filter((e) => e.arrivedAt <= at).map((e) => e.at),
      );
      return known <= since;
    }
  }
};

/** What became of one message of a campaign. */
type MessageOutcome =
  | 'sent'
  | 'not_due'
  | 'exited'
  | 'skipped_unsubscribed'
  | 'skipped_no_address'
  | 'skipped_send_condition';

/** A person's journey through an event-triggered campaign, judged at one moment. */
export type CampaignOutcome =
  | { readonly kind: 'not_triggered' }
  | { readonly kind: 'filtered_out'; readonly trigger: PersonEvent }
  | {
      readonly kind: 'entered';
      readonly trigger: PersonEvent;
      readonly exit: { readonly reason: 'goal' | 'filter'; readonly at: number } | undefined;
      readonly messages: readonly {
        readonly channel: CampaignMessage['channel'];
        readonly dueAt: number;
        readonly outcome: MessageOutcome;
      }[];
    };

/**
 * Runs the person's latest journey through an event-triggered campaign, as of `at` (epoch ms): the latest trigger
 * event (less than 72 hours old on arrival) starts it when the person arrives with it; the filter must match then;
 * each message is due its delay after entry and goes out unless the person exited first (a goal event arrived
 * after entry, or the filter stopped matching, as the exit criteria say), is unsubscribed, has no address for the
 * channel (an email needs the profile's email, an SMS its `phone` attribute), or fails the message's send condition
 * (channel consent). Judging a moment after the last delay answers "with nothing else arriving,
 * what would this person get?".
 */
export const runCampaign = (campaign: Campaign, person: Person, at: number): CampaignOutcome => {
  const trigger = person.events
    .filter(
      (e) =>
        e.arrivedAt <= at &&
        e.arrivedAt - e.at < TRIGGER_MAX_AGE_MS &&
        eventMatches(e, campaign.trigger, e.arrivedAt),
    )
    .sort((a, b) => a.arrivedAt - b.arrivedAt)
    .at(-1);
  if (!trigger) return { kind: 'not_triggered' };
  const entry = trigger.arrivedAt;
  if (campaign.filter && !matches(campaign.filter, person, entry)) return { kind: 'filtered_out', trigger };

  const exitsOnGoal = campaign.exit !== 'filter';
  const exitsOnFilter = campaign.exit !== 'goal';
  const exitBy = (due: number): { reason: 'goal' | 'filter'; at: number } | undefined => {
    const { goal, filter } = campaign;
    if (exitsOnGoal && goal) {
      const reached = person.events.find(
        (e) => e.arrivedAt > entry && e.arrivedAt <= due && eventMatches(e, goal, e.arrivedAt),
      );
      if (reached) return { reason: 'goal', at: reached.arrivedAt };
    }
    if (exitsOnFilter && filter && !matches(filter, person, due)) return { reason: 'filter', at: due };
    return undefined;
  };

  let exit: { reason: 'goal' | 'filter'; at: number } | undefined;
  const messages = campaign.messages.map((message) => {
    const dueAt = entry + spanMs(message.after);
    const outcome = ((): MessageOutcome => {
      if (dueAt > at) return 'not_due';
      exit ??= exitBy(dueAt);
      if (exit) return 'exited';
      const attributes = attributesAt(person, dueAt);
      if (attributes.unsubscribed === true) return 'skipped_unsubscribed';
      const address = message.channel === 'email' ? person.email : attributes.phone;
      if (typeof address !== 'string' || address === '') return 'skipped_no_address';
      return matches(message.sendIf, person, dueAt) ? 'sent' : 'skipped_send_condition';
    })();
    return { channel: message.channel, dueAt, outcome };
  });
  return { kind: 'entered', trigger, exit, messages };
};

/** The channels a campaign outcome actually messaged. */
export const channelsMessaged = (outcome: CampaignOutcome): CampaignMessage['channel'][] =>
  outcome.kind === 'entered'
    ? outcome.messages.filter((m) => m.outcome === 'sent').map((m) => m.channel)
    : [];
