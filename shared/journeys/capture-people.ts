import * as z from 'zod';

/** One event on a person's profile. Times are epoch milliseconds. */
export interface PersonEvent {
  readonly id: string | undefined;
  readonly name: string;
  /** The event's own time (its `timestamp`): what "within the past N days" looks at. */
  readonly at: number;
  /** When the profile got it: its arrival, or the merge that attached it (what triggers and goals look at). */
  readonly arrivedAt: number;
  readonly data: Readonly<Record<string, unknown>>;
}

/** One identify's attributes, as of their arrival. */
interface AttributeChange {
  readonly arrivedAt: number;
  readonly attributes: Readonly<Record<string, unknown>>;
}

/** A Customer.io profile rebuilt from what was sent to it. */
export interface Person {
  readonly id: string | undefined;
  readonly email: string | undefined;
  /** When the profile came to exist (its first operation's arrival). */
  readonly firstSeenAt: number;
  readonly anonymousIds: readonly string[];
  readonly changes: readonly AttributeChange[];
  readonly events: readonly PersonEvent[];
}

/** Everything the capture says about people, plus what could not be read or attributed. */
export interface CaptureModel {
  readonly people: readonly Person[];
  /** Events of browsers never merged into a person: Customer.io keeps them 30 days and segments ignore them. */
  readonly anonymousEvents: readonly { readonly anonymousId: string; readonly event: PersonEvent }[];
  /** Captured operations that are not Track API operations this model knows (each one is a finding). */
  readonly unreadable: readonly string[];
}

/** One line of the local capture (`local/customerio-capture.ts`): a request the Track API would have received. */
export const CapturedCallSchema = z.looseObject({
  path: z.string(),
  receivedAt: z.iso.datetime({ offset: true }),
  body: z.unknown(),
});
/** A captured request. */
export type CapturedCall = z.infer<typeof CapturedCallSchema>;

const AttributesSchema = z.record(z.string(), z.unknown());
const IdentifiersSchema = z.union([
  z.strictObject({ id: z.string().min(1) }),
  z.strictObject({ email: z.string().min(1) }),
  z.strictObject({ anonymous_id: z.string().min(1) }),
]);
type Identifiers = z.infer<typeof IdentifiersSchema>;

const OperationSchema = z.discriminatedUnion('action', [
  z.looseObject({
    action: z.literal('identify'),
    identifiers: IdentifiersSchema,
    attributes: AttributesSchema.default({}),
  }),
  z.looseObject({
    action: z.literal('event'),
    identifiers: IdentifiersSchema,
    name: z.string().min(1),
    id: z.string().optional(),
    timestamp: z.number(),
    attributes: AttributesSchema.default({}),
  }),
  z.looseObject({ action: z.literal('merge'), primary: IdentifiersSchema, secondary: IdentifiersSchema }),
  z.looseObject({ action: z.literal('delete'), identifiers: IdentifiersSchema }),
]);
type Operation = z.infer<typeof OperationSchema>;

const V2BatchSchema = z.looseObject({ batch: z.array(z.unknown()) });
const V1AnonymousEventSchema = z.looseObject({
  anonymous_id: z.string().min(1),
  name: z.string().min(1),
  id: z.string().optional(),
  timestamp: z.number(),
  data: AttributesSchema.default({}),
});

/** Customer.io merges anonymous events received up to five minutes after the identify that names their browser. */
const MERGE_GRACE_MS = 5 * 60_000;
/** Customer.io keeps anonymous events for 30 days. */
const ANONYMOUS_RETENTION_MS = 30 * 86_400_000;

interface MutablePerson {
  id: string | undefined;
  email: string | undefined;
  firstSeenAt: number;
  bindings: { anonymousId: string; boundAt: number }[];
  changes: AttributeChange[];
  events: PersonEvent[];
}

const lower = (email: string): string => email.trim().toLowerCase();

/**
 * Rebuilds the Customer.io profiles the connector's traffic would produce, in arrival order, the way Customer.io
 * documents it: an identify creates or updates a person (by id, or by email; an id identify carrying the email of
 * an id-less profile adopts it), attributes merge key by key, events are deduplicated by id, `anonymous_id` binds a
 * browser to the first person naming it and pulls in its anonymous events received up to five minutes after that
 * identify (30-day retention), a merge moves the secondary into the primary (primary values win), a delete removes.
 */
export const peopleFromCapture = (calls: readonly CapturedCall[]): CaptureModel => {
  const people: MutablePerson[] = [];
  const owners = new Map<string, MutablePerson>();
  const pool: { anonymousId: string; event: PersonEvent }[] = [];
  const seenEventIds = new Set<string>();
  const unreadable: string[] = [];

  const find = (identifiers: Identifiers): MutablePerson | undefined => {
    if ('id' in identifiers) return people.find((p) => p.id === identifiers.id);
    if ('email' in identifiers) return people.find((p) => p.email === lower(identifiers.email));
    return owners.get(identifiers.anonymous_id);
  };
  const create = (identifiers: Identifiers, at: number): MutablePerson => {
    const person: MutablePerson = {
      id: 'id' in identifiers ? identifiers.id : undefined,
      email: 'email' in identifiers ? lower(identifiers.email) : undefined,
      firstSeenAt: at,
      bindings: [],
      changes: [],
      events: [],
    };
    people.push(person);
    return person;
  };
  const isNewEvent = (id: string | undefined): boolean => {
    if (id === undefined) return true;
    if (seenEventIds.has(id)) return false;
    seenEventIds.add(id);
    return true;
  };

  const identify = (op: Extract<Operation, { action: 'identify' }>, at: number): void => {
    const { identifiers, attributes } = op;
    if ('anonymous_id' in identifiers) {
      unreadable.push('identify addressed to an anonymous id');
      return;
    }
    const email = typeof attributes.email === 'string' ? lower(attributes.email) : undefined;
    let person = find(identifiers);
    if (!person && 'id' in identifiers && email) {
      person = people.find((p) => p.id === undefined && p.email === email);
      if (person) person.id = identifiers.id;
    }
    person ??= create(identifiers, at);
    if (email) person.email = email;
    person.changes.push({ arrivedAt: at, attributes });
    const anonymousId = attributes.anonymous_id;
    if (typeof anonymousId === 'string' && anonymousId.length > 0 && !owners.has(anonymousId)) {
      owners.set(anonymousId, person);
      person.bindings.push({ anonymousId, boundAt: at });
    }
  };

  const merge = (op: Extract<Operation, { action: 'merge' }>, at: number): void => {
    const secondary = find(op.secondary);
    if (!secondary) return;
    const primary = find(op.primary) ?? create(op.primary, at);
    if (primary === secondary) return;
    const kept = currentAttributes(primary.changes, at);
    const moved = Object.fromEntries(
      Object.entries(currentAttributes(secondary.changes, at)).filter(([key]) => !(key in kept)),
    );
    primary.changes.push({ arrivedAt: at, attributes: moved });
    primary.events.push(...secondary.events.map((e) => ({ ...e, arrivedAt: Math.max(e.arrivedAt, at) })));
    primary.bindings.push(...secondary.bindings);
    for (const binding of secondary.bindings) owners.set(binding.anonymousId, primary);
    primary.firstSeenAt = Math.min(primary.firstSeenAt, secondary.firstSeenAt);
    people.splice(people.indexOf(secondary), 1);
  };

  const apply = (op: Operation, at: number): void => {
    if (op.action === 'identify') {
      identify(op, at);
      return;
    }
    if (op.action === 'merge') {
      merge(op, at);
      return;
    }
    if (op.action === 'delete') {
      const person = find(op.identifiers);
      if (!person) return;
      for (const binding of person.bindings) owners.delete(binding.anonymousId);
      people.splice(people.indexOf(person), 1);
      return;
    }
    if (!isNewEvent(op.id)) return;
    const event: PersonEvent = {
      id: op.id,
      name: op.name,
      at: op.timestamp * 1000,
      arrivedAt: at,
      data: op.attributes,
    };
    if ('anonymous_id' in op.identifiers) {
      pool.push({ anonymousId: op.identifiers.anonymous_id, event });
      return;
    }
    const person = find(op.identifiers) ?? create(op.identifiers, at);
    person.events.push(event);
  };

  for (const call of calls) {
    const at = Date.parse(call.receivedAt);
    if (call.path === '/api/v2/batch') {
      const batch = V2BatchSchema.safeParse(call.body);
      if (!batch.success) {
        unreadable.push('a v2 batch without a batch list');
        continue;
      }
      for (const item of batch.data.batch) {
        const op = OperationSchema.safeParse(item);
        if (op.success) apply(op.data, at);
        else unreadable.push(`a batch item that is not a person operation: ${z.prettifyError(op.error)}`);
      }
    } else if (call.path === '/api/v1/events') {
      const event = V1AnonymousEventSchema.safeParse(call.body);
      if (!event.success) {
        unreadable.push(`an anonymous event that does not parse: ${z.prettifyError(event.error)}`);
        continue;
      }
      const { anonymous_id, name, id, timestamp, data } = event.data;
      if (isNewEvent(id)) {
        pool.push({
          anonymousId: anonymous_id,
          event: { id, name, at: timestamp * 1000, arrivedAt: at, data },
        });
      }
    } else {
      unreadable.push(`a request to ${call.path}`);
    }
  }

  for (const person of people) {
    for (const { anonymousId, boundAt } of person.bindings) {
      for (let i = pool.length - 1; i >= 0; i -= 1) {
        const entry = pool[i];
        if (!entry || entry.anonymousId !== anonymousId) continue;
        const { event } = entry;
        if (event.arrivedAt > boundAt + MERGE_GRACE_MS || event.at < boundAt - ANONYMOUS_RETENTION_MS)
          continue;
        person.events.push({ ...event, arrivedAt: Math.max(event.arrivedAt, boundAt) });
        pool.splice(i, 1);
      }
    }
  }

  return {
    people: people.map((p) => ({
      id: p.id,
      email: p.email,
      firstSeenAt: p.firstSeenAt,
      anonymousIds: p.bindings.map((b) => b.anonymousId),
      changes: p.changes,
      events: [...p.events].sort((a, b) => a.at - b.at),
    })),
    anonymousEvents: pool,
    unreadable,
  };
};

const currentAttributes = (
  changes: readonly AttributeChange[],
  at: number,
): Readonly<Record<string, unknown>> =>
  Object.assign({}, ...changes.filter((c) => c.arrivedAt <= at).map((c) => c.attributes));

/** A person's attributes as Customer.io held them at `at` (epoch ms; default: after everything arrived). */
export const attributesAt = (
  person: Person,
  at = Number.POSITIVE_INFINITY,
): Readonly<Record<string, unknown>> => currentAttributes(person.changes, at);

/** The profile a Customer.io identifier addresses, if any. */
export const findPerson = (
  model: CaptureModel,
  identifiers: { readonly id: string } | { readonly email: string },
): Person | undefined =>
  'id' in identifiers
    ? model.people.find((p) => p.id === identifiers.id)
    : model.people.find((p) => p.email === lower(identifiers.email));
