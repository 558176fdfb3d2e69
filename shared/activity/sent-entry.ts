import type { PersonRef } from '../canonical/common.js';
import { classifyFailure } from '../failures/classify-failure.js';
import { tryParseJson } from '../json/lossless-json.js';
import type { ActivityRecord, SentOperation } from './activity-entry.js';
import { type SubjectKind, subjectOf, subjectOfPerson } from './activity-subject.js';
import { shortHash } from './delivery-entry.js';

/** One outbox record as the deliver worker received it. */
export interface SentRecord {
  readonly messageId: string;
  readonly body: string;
}

/** Customer.io's customer id → the shop's customer id (strips a per-shop prefix; identity when there is none). */
export type CustomerIdOf = (shop: string, cioId: string) => string;

type Json = Record<string, unknown>;

const MAX_OPS_PER_ENTRY = 25;

const obj = (value: unknown): Json | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
const str = (value: unknown, max = 256): string | undefined =>
  typeof value === 'string' && value !== '' ? value.slice(0, max) : undefined;

/** The subject of Customer.io identifiers ({id} | {email} | {anonymous_id}). */
const subjectOfIdentifiers = (
  shop: string,
  identifiers: Json | undefined,
  customerIdOf: CustomerIdOf,
): string | undefined => {
  const id = str(identifiers?.id, 1_000);
  if (id) return subjectOf('customer', customerIdOf(shop, id));
  const pick: [SubjectKind, unknown][] = [
    ['email', identifiers?.email],
    ['anon', identifiers?.anonymous_id],
  ];
  const found = pick.find(([, value]) => str(value, 1_000));
  return found ? subjectOf(found[0], String(found[1])) : undefined;
};

/** Who an outbox message is about and what it is, read without trusting its shape (the body may be anything). */
const describeOutbox = (
  body: string,
  customerIdOf: CustomerIdOf,
): { shop?: string; subject?: string; operation: Omit<SentOperation, 'status'> } => {
  const message = obj(tryParseJson(body));
  const type = str(message?.type);
  const deliveryId = str(obj(message?.trace)?.delivery_id);
  const traced = deliveryId ? { deliveryId } : {};
  if (type === 'event' || type === 'identify') {
    const inner = obj(type === 'event' ? message?.event : message?.update);
    const shop = str(inner?.shop);
    const person = obj(inner?.person) as PersonRef | undefined;
    const subject =
      subjectOfPerson(person) ??
      (shop ? subjectOfIdentifiers(shop, obj(message?.identifiers), customerIdOf) : undefined);
    const attributes = obj(inner?.attributes);
    const anonymousId = type === 'identify' ? str(attributes?.anonymous_id) : undefined;
    return {
      ...(shop ? { shop } : {}),
      ...(subject ? { subject } : {}),
      operation: {
        op: type,
        ...(type === 'event' && str(inner?.name, 100) ? { name: str(inner?.name, 100) } : {}),
        ...(type === 'event' && str(inner?.id, 64) ? { eventId: str(inner?.id, 64) } : {}),
        ...(anonymousId ? { anonymousId } : {}),
        ...traced,
      },
    };
  }
  if (type === 'merge' || type === 'delete') {
    const shop = str(message?.shop);
    // A profile merge is filed under the guest (secondary) profile: the email partition the person's page reads.
    const who = obj(type === 'merge' ? message?.secondary : message?.identifiers);
    const subject = shop ? subjectOfIdentifiers(shop, who, customerIdOf) : undefined;
    return { ...(shop ? { shop } : {}), ...(subject ? { subject } : {}), operation: { op: type, ...traced } };
  }
  return { operation: { op: 'unknown', ...traced } };
};

/** The shop, person and operation of a parked outbox message (for its activity record). */
export const outboxSubject =
  (customerIdOf: CustomerIdOf = (_shop, id) => id) =>
  (body: string): { shop: string; subject: string; what: string } | undefined => {
    const { shop, subject, operation } = describeOutbox(body, customerIdOf);
    const what = [operation.op, operation.name].filter(Boolean).join(' ');
    return shop && subject ? { shop, subject, what } : undefined;
  };

/**
 * The activity records of one Customer.io call: per shop and person, the operations it carried and what became of
 * each (accepted; rejected by Customer.io, then parked; retrying, after a failed call). Records whose body names
 * nobody are left out (they are parked as invalid, and the DLQ shows them).
 */
export const sentRecords = (
  records: readonly SentRecord[],
  errors: ReadonlyMap<string, unknown>,
  at: Date,
  customerIdOf: CustomerIdOf = (_shop, id) => id,
): ActivityRecord[] => {
  const groups = new Map<string, { shop: string; subject: string; ids: string[]; ops: SentOperation[] }>();
  for (const record of records) {
    const { shop, subject, operation } = describeOutbox(record.body, customerIdOf);
    if (!shop || !subject) continue;
    const error = errors.get(record.messageId);
    const failure = error === undefined ? undefined : classifyFailure(error);
    const status: SentOperation['status'] =
      failure === undefined ? 'accepted' : failure.class === 'permanent' ? 'rejected' : 'retrying';
    const key = `${shop}\u0000${subject}`;
    const group = groups.get(key) ?? { shop, subject, ids: [], ops: [] };
    group.ids.push(record.messageId);
    group.ops.push({ ...operation, status, ...(failure ? { code: failure.code } : {}) });
    groups.set(key, group);
  }
  return [...groups.values()].flatMap((group) => {
    const chunks: ActivityRecord[] = [];
    for (let i = 0; i < group.ops.length; i += MAX_OPS_PER_ENTRY) {
      chunks.push({
        shop: group.shop,
        subject: group.subject,
        at: at.toISOString(),
        uniqueness: shortHash('sent', ...group.ids.slice(i, i + MAX_OPS_PER_ENTRY)),
        entry: { kind: 'sent', operations: group.ops.slice(i, i + MAX_OPS_PER_ENTRY) },
      });
    }
    return chunks;
  });
};
