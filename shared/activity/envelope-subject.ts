import { type WebhookEnvelope, WebhookEnvelopeSchema } from '../ingest/envelope.js';
import { tryDecodeInboxMessage } from '../ingest/inbox-message.js';
import { parseJsonLossless } from '../json/lossless-json.js';
import type { NormalizerRegistry } from '../normalize/normalizer.js';
import { subjectOfOutput } from './delivery-entry.js';

/**
 * Who a delivery names before stitching, from its own payload: normalizes it again (normalizers are pure) and takes
 * the first person, browser or cart. Used where the process worker did not get that far: a duplicate delivery
 * (its first copy was filed under the stitched person) and a parked one. Undefined when the payload names nobody
 * or does not normalize (an invalid payload: the DLQ holds it).
 */
export const envelopeSubject = (
  normalizers: NormalizerRegistry,
  envelope: WebhookEnvelope,
): string | undefined => {
  const topics = Object.hasOwn(normalizers, envelope.source) ? normalizers[envelope.source] : undefined;
  const normalize = topics && Object.hasOwn(topics, envelope.topic) ? topics[envelope.topic] : undefined;
  if (!normalize) return undefined;
  try {
    const result = normalize(parseJsonLossless(envelope.body), envelope);
    return result.kind === 'normalized' ? subjectOfOutput(result) : undefined;
  } catch {
    return undefined;
  }
};

/** The shop, subject and source/topic of an inbox message (a queued envelope), for a parked record. */
export const inboxSubject =
  (normalizers: NormalizerRegistry) =>
  (body: string): { shop: string; subject: string; what: string } | undefined => {
    const parsed = WebhookEnvelopeSchema.safeParse(tryDecodeInboxMessage(body));
    if (!parsed.success) return undefined;
    const subject = envelopeSubject(normalizers, parsed.data);
    return subject
      ? { shop: parsed.data.shop, subject, what: `${parsed.data.source} ${parsed.data.topic}` }
      : undefined;
  };
