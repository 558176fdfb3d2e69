import type { DeadLetter } from '../../local/dead-letter-audit.js';
import { tryParseJson } from '../../shared/json/lossless-json.js';
import type { AppliedOperation } from './customerio-chaos.js';
import type { EventAttributes, ExpectedEvent, Scenario } from './scenario-types.js';

/** What became of one expected event. */
type Fate = 'delivered' | 'duplicated' | 'parked' | 'lost';

/** The oracle's verdict on a run. */
export interface Verdict {
  readonly expected: number;
  readonly delivered: number;
  /** Expected events nowhere: not at Customer.io, not in any DLQ. Must be 0. */
  readonly lost: readonly string[];
  /** Expected events that reached Customer.io under more than one id. Must be 0. */
  readonly duplicateIds: readonly string[];
  /** Expected events not delivered but accounted for by a parked message. */
  readonly parkedExpected: readonly string[];
  /** Events Customer.io took that nothing in the plan asks for. Must be 0. */
  readonly unexpected: readonly string[];
  /** Events the plan tolerates (counted, by reason). */
  readonly tolerated: Readonly<Record<string, number>>;
  /** Ids Customer.io received more than once (resends of one event: Customer.io drops them by id). */
  readonly resentIds: number;
  /** Dead letters with a reason, by `queue code`. */
  readonly parkedWithReason: Readonly<Record<string, number>>;
  /** Dead letters without a reason. Must be 0. */
  readonly parkedWithoutReason: readonly DeadLetter[];
  /** People whose updates were checked. */
  readonly peopleChecked: number;
  /** People whose final attributes in Customer.io are not their newest update's (and none of it was parked). */
  readonly stalePeople: readonly string[];
}

interface ParkedEvidence {
  readonly deliveries: ReadonlySet<string>;
  readonly events: readonly { readonly name: string; readonly properties: EventAttributes }[];
  readonly cartSteps: ReadonlySet<string>;
}

const cartStepKey = (cartToken: unknown, step: unknown) => `${String(cartToken)}#${String(step)}`;

/** A parked check of a cart's step ends its recovery there: it accounts for that step and every later one. */
const parkedStep = (cartSteps: ReadonlySet<string>, cartToken: string, step: number): boolean => {
  for (let earlier = 1; earlier <= step; earlier += 1) {
    if (cartSteps.has(cartStepKey(cartToken, earlier))) return true;
  }
  return false;
};

/**
 * The events an outbox message holds, wherever they sit in it (one message per operation today; a batched
 * encoding holds several): every object with a string `name` and an object `properties`.
 */
const eventsIn = (value: unknown, depth = 0): { name: string; properties: EventAttributes }[] => {
  if (depth > 6 || typeof value !== 'object' || value === null) return [];
  if (Array.isArray(value)) return value.flatMap((item) => eventsIn(item, depth + 1));
  const { name, properties } = value as { name?: unknown; properties?: unknown };
  if (typeof name === 'string' && typeof properties === 'object' && properties !== null) {
    return [{ name, properties: properties as EventAttributes }];
  }
  return Object.values(value).flatMap((child) => eventsIn(child, depth + 1));
};

/** What the dead letters account for: deliveries (inbox), events (outbox bodies), cart steps (cart-check). */
const evidence = (letters: readonly DeadLetter[]): ParkedEvidence => {
  const deliveries = new Set<string>();
  const events: { name: string; properties: EventAttributes }[] = [];
  const cartSteps = new Set<string>();
  for (const letter of letters) {
    const body = tryParseJson(letter.body) as Record<string, unknown> | undefined;
    if (letter.queue === 'cart-check-dlq') {
      const input = (body?.requestPayload ?? body) as { cart_token?: unknown; step?: unknown } | undefined;
      if (input?.cart_token !== undefined) cartSteps.add(cartStepKey(input.cart_token, input.step));
      continue;
    }
    const held = letter.queue === 'outbox-dlq' && body ? eventsIn(body) : [];
    if (held.length > 0) {
      events.push(...held);
      continue;
    }
    if (letter.queue === 'outbox-dlq' && body) continue;
    // An inbox letter (or an outbox one this run cannot read): its delivery accounts for what it produces.
    const deliveryId = letter.attributes.delivery_id;
    if (deliveryId) deliveries.add(deliveryId);
  }
  return { deliveries, events, cartSteps };
};

const fateOf = (expected: ExpectedEvent, ids: ReadonlySet<string>, parked: ParkedEvidence): Fate => {
  if (ids.size > 1) return 'duplicated';
  if (ids.size === 1) return 'delivered';
  const step = expected.cartStep;
  if (
    parked.events.some((e) => e.name === expected.name && expected.matches(e.properties)) ||
    expected.deliveries.some((id) => parked.deliveries.has(id)) ||
    (step !== undefined && parkedStep(parked.cartSteps, step.cartToken, step.step))
  ) {
    return 'parked';
  }
  return 'lost';
};

const describe = (op: AppliedOperation): string => {
  const a = op.attributes;
  const keys = ['order_id', 'checkout_id', 'cart_id', 'step', 'review_id', 'subscription_id', 'page_url'];
  const facts = keys.filter((k) => a[k] !== undefined && a[k] !== null).map((k) => `${k}=${String(a[k])}`);
  return `${op.name ?? op.action} ${facts.join(' ')}`.trim();
};

/** The final value of each attribute of a customer: the last identify that set it, in the order applied. */
const finalAttributes = (
  applied: readonly AppliedOperation[],
  customerId: string,
): Record<string, unknown> => {
  const state: Record<string, unknown> = {};
  for (const op of applied) {
    if (op.action !== 'identify' || op.identifiers?.id !== customerId) continue;
    Object.assign(state, op.attributes);
  }
  return state;
};

/**
 * Judges a run against its plan, from what the fake Customer.io applied and what the DLQs hold: each expected
 * event must be there under exactly one id or be accounted for by a parked message with a reason; nothing else
 * may arrive but what the plan tolerates; every dead letter must carry a reason.
 */
export const judge = (
  scenario: Scenario,
  applied: readonly AppliedOperation[],
  letters: readonly DeadLetter[],
): Verdict => {
  const events = applied.filter((op) => op.action === 'event');
  const parked = evidence(letters.filter((letter) => letter.why !== undefined));
  const claimed = new Set<AppliedOperation>();
  const fates = scenario.expected.map((expected) => {
    const mine = events.filter((op) => op.name === expected.name && expected.matches(op.attributes));
    for (const op of mine) claimed.add(op);
    return { expected, fate: fateOf(expected, new Set(mine.map((op) => op.id ?? '')), parked) };
  });
  const tolerated: Record<string, number> = {};
  const unexpected: string[] = [];
  for (const op of events) {
    if (claimed.has(op)) continue;
    const rule = scenario.tolerated.find((t) => t.name === op.name && t.matches(op.attributes));
    if (rule) tolerated[rule.why] = (tolerated[rule.why] ?? 0) + 1;
    else unexpected.push(describe(op));
  }
  const seen = new Map<string, number>();
  for (const op of events) if (op.id) seen.set(op.id, (seen.get(op.id) ?? 0) + 1);
  const parkedWithReason: Record<string, number> = {};
  for (const letter of letters) {
    if (!letter.why) continue;
    const label = `${letter.queue} ${letter.why.code}`;
    parkedWithReason[label] = (parkedWithReason[label] ?? 0) + 1;
  }
  const stalePeople = scenario.people.flatMap((person) => {
    if (person.deliveries.some((id) => parked.deliveries.has(id))) return [];
    const final = finalAttributes(applied, person.customerId);
    const wrong = Object.entries(person.attributes).filter(([name, value]) => final[name] !== value);
    if (wrong.length === 0) return [];
    const [first] = wrong;
    const history = applied
      .filter((op) => op.action === 'identify' && op.identifiers?.id === person.customerId)
      .flatMap((op) => (first && first[0] in op.attributes ? [String(op.attributes[first[0]])] : []));
    return [
      `customer ${person.customerId}: ${wrong.map(([name]) => `${name}=${String(final[name])}`).join(', ')} (applied in order: ${history.join(' → ')})`,
    ];
  });
  const keysOf = (fate: Fate) => fates.filter((f) => f.fate === fate).map((f) => f.expected.key);
  return {
    expected: scenario.expected.length,
    delivered: fates.filter((f) => f.fate === 'delivered' || f.fate === 'duplicated').length,
    lost: keysOf('lost'),
    duplicateIds: keysOf('duplicated'),
    parkedExpected: keysOf('parked'),
    unexpected,
    tolerated,
    resentIds: [...seen.values()].filter((n) => n > 1).length,
    parkedWithReason,
    parkedWithoutReason: letters.filter((letter) => letter.why === undefined),
    peopleChecked: scenario.people.length,
    stalePeople,
  };
};
