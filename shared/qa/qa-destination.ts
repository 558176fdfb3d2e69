/** What Customer.io holds about one QA person, as far as a destination view can tell. */
export interface DestinationPerson {
  readonly found: boolean;
  /** Attributes set by identifies (the latest value of each). */
  readonly attributes: Readonly<Record<string, unknown>>;
  /** Events tracked for the person, with their data. */
  readonly events: readonly { readonly name: string; readonly data: Readonly<Record<string, unknown>> }[];
  /** Browsers merged into the person (identify with `anonymous_id`), where the view can see them. */
  readonly mergedAnonymousIds?: readonly string[];
}

/** Who a QA person is in Customer.io: the connector addresses them by customer id (or email). */
export interface QaPersonRef {
  readonly id: string;
  readonly email: string;
}

/** A view of the destination: the local capture, or Customer.io's App API. */
export interface Destination {
  readonly name: string;
  person(who: QaPersonRef): Promise<DestinationPerson>;
}

type Operation = Record<string, unknown>;

const matches = (identifiers: unknown, who: QaPersonRef): boolean => {
  const ids = identifiers as { id?: unknown; email?: unknown } | undefined;
  return ids?.id === who.id || (typeof ids?.email === 'string' && ids.email.toLowerCase() === who.email);
};

/** The local capture server's operations as a destination (what the connector would have sent). */
export const captureDestination = (operations: () => readonly Operation[]): Destination => ({
  name: 'local Customer.io capture',
  person: async (who) => {
    const mine = operations().filter((op) => matches(op.identifiers, who));
    const attributes: Record<string, unknown> = {};
    const merged: string[] = [];
    for (const op of mine.filter((o) => o.action === 'identify')) {
      const attrs = (op.attributes ?? {}) as Record<string, unknown>;
      Object.assign(attributes, attrs);
      if (typeof attrs.anonymous_id === 'string') merged.push(attrs.anonymous_id);
    }
    const events = mine
      .filter((o) => o.action === 'event')
      .map((o) => ({ name: String(o.name), data: (o.attributes ?? {}) as Record<string, unknown> }));
    return { found: mine.length > 0, attributes, events, mergedAnonymousIds: merged };
  },
});
