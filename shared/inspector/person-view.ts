import type { StoredActivity } from '../activity/activity-log.js';
import { parseSubject, subjectOf } from '../activity/activity-subject.js';
import type { KnownPerson } from '../identity/identity-store.js';
import type { CartState, DeadLetterView, InspectorSources } from './inspector-sources.js';
import { type Lookup, lookupsFor, type SearchQuery } from './search.js';

/** Everything the page shows about one person. */
export interface PersonView {
  readonly query: SearchQuery;
  /** What the identity graph knows (identifiers only; the page masks contact details). */
  readonly people: readonly KnownPerson[];
  /** The partitions read: the person's, and those of the browsers and carts linked to them. */
  readonly subjects: readonly string[];
  /** Every record, oldest first. */
  readonly activities: readonly StoredActivity[];
  /** The latest privacy redact, if the person was redacted. */
  readonly redacted?: StoredActivity;
  readonly carts: readonly CartState[];
  readonly deadLetters: readonly DeadLetterView[];
  /** Limits hit and sources that could not be read. */
  readonly notes: readonly string[];
}

/** Records read per partition; a busy person's oldest records beyond it are left out (and said so). */
const PER_SUBJECT = 200;
/** Partitions read for one person: theirs plus linked browsers and carts. */
const MAX_SUBJECTS = 40;
const MAX_CARTS = 10;

const personSubjects = (person: KnownPerson): string[] => [
  ...(person.customer_id ? [subjectOf('customer', person.customer_id)] : []),
  ...(person.email ? [subjectOf('email', person.email)] : []),
];

/** Partitions a record points at: the browsers, carts and checkouts it linked, the profiles it merged. */
const linkedSubjects = (activity: StoredActivity): string[] => {
  const { entry } = activity;
  if (entry.kind === 'delivery') {
    return [
      ...(entry.links.anonymousIds ?? []).map((id) => subjectOf('anon', id)),
      ...entry.updates.flatMap((u) => (u.anonymousId ? [subjectOf('anon', u.anonymousId)] : [])),
      ...[...(entry.links.carts ?? []), ...(entry.cart.touched ?? [])].map((t) => subjectOf('cart', t)),
      ...(entry.links.checkouts ?? []).map((t) => subjectOf('checkout', t)),
      ...(entry.links.orders ?? []).map((id) => subjectOf('order', id)),
      ...entry.profileMerges.flatMap((m) => [m.primary, m.secondary]),
    ];
  }
  if (entry.kind === 'cart-check') return [subjectOf('cart', entry.cart)];
  return [];
};

/** The values a person is known by, lower-cased, to find the dead letters about them. */
const identifiersOf = (
  people: readonly KnownPerson[],
  subjects: readonly string[],
  activities: readonly StoredActivity[],
  lookups: readonly Lookup[],
): Set<string> => {
  const values = new Set<string>();
  const add = (value: string | undefined) => {
    if (value && value.length >= 3) values.add(value.toLowerCase());
  };
  for (const person of people) for (const value of Object.values(person)) add(value);
  for (const subject of subjects) {
    const parsed = parseSubject(subject);
    if (parsed && parsed.kind !== 'email') add(parsed.value);
  }
  for (const lookup of lookups) add(lookup.value);
  for (const { entry } of activities) {
    if (entry.kind === 'delivery') {
      add(entry.deliveryId);
      for (const order of entry.links.orders ?? []) add(order);
    }
  }
  return values;
};

/**
 * Assembles one person's page: resolves the search through the identity graph (and the order index), reads the
 * person's partitions, then once more the partitions of the browsers, carts and profiles their records link to,
 * the carts' recovery state and the dead letters that name any of their identifiers. Read-only throughout.
 */
export const buildPersonView = async (sources: InspectorSources, query: SearchQuery): Promise<PersonView> => {
  const { shop } = query;
  const lookups = lookupsFor(query);
  const notes: string[] = [];
  const subjects = new Set<string>();
  const people: KnownPerson[] = [];
  const addPerson = (person: KnownPerson | undefined) => {
    if (!person || people.some((p) => JSON.stringify(p) === JSON.stringify(person))) return;
    people.push(person);
    for (const subject of personSubjects(person)) subjects.add(subject);
  };

  for (const lookup of lookups) {
    switch (lookup.kind) {
      case 'email':
      case 'phone':
      case 'customer': {
        if (lookup.kind === 'email') subjects.add(subjectOf('email', lookup.value));
        if (lookup.kind === 'customer') subjects.add(subjectOf('customer', lookup.value));
        const kind = lookup.kind === 'customer' ? 'customer_id' : lookup.kind;
        addPerson((await sources.identity.read(shop, kind, lookup.value)).person);
        break;
      }
      case 'order':
        for (const found of await sources.activity.byOrder(shop, lookup.value, 20))
          subjects.add(found.subject);
        break;
      case 'anonymous':
        subjects.add(subjectOf('anon', lookup.value));
        addPerson(await sources.identity.personOfAnonymous(shop, lookup.value));
        break;
      case 'cart':
      case 'checkout': {
        subjects.add(subjectOf(lookup.kind, lookup.value));
        const node = await sources.identity.read(shop, `${lookup.kind}_token`, lookup.value);
        addPerson(node.person);
        for (const id of node.anonymousIds) subjects.add(subjectOf('anon', id));
        break;
      }
    }
  }

  const read = new Map<string, StoredActivity[]>();
  const readAll = async () => {
    for (const subject of subjects) {
      if (read.has(subject)) continue;
      if (read.size >= MAX_SUBJECTS) {
        notes.push(`Read ${MAX_SUBJECTS} linked partitions; more are linked and were left out.`);
        break;
      }
      const records = await sources.activity.timeline(shop, subject, PER_SUBJECT);
      if (records.length >= PER_SUBJECT) notes.push(`Only the newest ${PER_SUBJECT} records of ${subject}.`);
      read.set(subject, records);
    }
  };
  await readAll();
  // One hop: the browsers, carts and profiles the person's own records link to.
  for (const records of [...read.values()]) {
    for (const record of records) for (const subject of linkedSubjects(record)) subjects.add(subject);
  }
  await readAll();

  const activities = [...read.values()].flat().sort((a, b) => a.at.localeCompare(b.at));
  const visible = [...read.entries()].filter(([, records]) => records.length > 0).map(([subject]) => subject);
  const cartTokens = [
    ...new Set([
      ...visible.flatMap((subject) => {
        const parsed = parseSubject(subject);
        return parsed?.kind === 'cart' ? [parsed.value] : [];
      }),
      ...activities.flatMap(({ entry }) =>
        entry.kind === 'delivery'
          ? [...(entry.links.carts ?? []), ...(entry.cart.touched ?? []), ...(entry.cart.converted ?? [])]
          : [],
      ),
    ]),
  ];
  const carts: CartState[] = [];
  for (const token of cartTokens.slice(0, MAX_CARTS)) {
    const cart = await sources.carts.getCart({ shop, cart_token: token });
    if (cart) carts.push(cart);
  }

  let deadLetters: DeadLetterView[] = [];
  if (visible.length > 0 || people.length > 0) {
    const identifiers = identifiersOf(people, visible, activities, lookups);
    const dlq = await sources.deadLetters.read();
    notes.push(...dlq.notes);
    deadLetters = dlq.letters.filter(
      (view) =>
        (view.letter.shop === undefined || view.letter.shop === shop) &&
        [...identifiers].some((id) => view.values.has(id)),
    );
  }
  const redacted = activities.filter((a) => a.entry.kind === 'redacted').at(-1);
  return {
    query,
    people,
    subjects: visible,
    activities,
    ...(redacted ? { redacted } : {}),
    carts,
    deadLetters,
    notes,
  };
};
