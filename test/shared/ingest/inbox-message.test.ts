import { describe, expect, it } from 'vitest';
import type { WebhookEnvelope } from '../../../shared/ingest/envelope.js';
import {
  decodeInboxMessage,
  encodeInboxMessage,
  enqueueEnvelope,
  refusedBySqs,
} from '../../../shared/ingest/inbox-message.js';
import type { QueueMessage } from '../../../shared/ports/message-queue.js';
import { MemoryQueue } from '../../helpers/fakes.js';

const envelope = (body: string, overrides: Partial<WebhookEnvelope> = {}): WebhookEnvelope => ({
  version: 1,
  source: 'shopify',
  topic: 'orders/create',
  shop: 'demo.myshopify.com',
  deliveryId: 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043',
  eventId: '98880550-7158-44d4-b7cd-2c97c8a091b5',
  apiVersion: '2026-07',
  triggeredAt: '2026-11-28T09:59:59.000000Z',
  receivedAt: '2026-11-28T10:00:00.000Z',
  signed: true,
  body,
  ...overrides,
});

/** Bodies a platform may send, JSON or not, including ones built to confuse the reader. */
const BODIES = [
  '{"id":820982911946154508,"total_price":"10.00"}',
  '{\n  "id": 820982911946154508,\n  "note": "pretty printed"\n}\n',
  '[{"id":1},{"id":2}]',
  '{"a":1,"body":{"nested":"yes"},"b":[1,2]}',
  '{"note":"a \\",\\"body\\":{ trap","x":"é😀注文"}',
  '{"unicode":"\u2028\u2029","fffe":"\uFFFE"}',
  '{}',
  '{"unclosed":',
  '{not json at all',
  '"a string body"',
  '12345678901234567890',
  'plain text',
  ' {"leading":"space"}',
  '\n{"leading":"newline"}',
  '',
];

describe('inbox message encoding', () => {
  it.each(BODIES.map((b) => [JSON.stringify(b).slice(0, 40), b]))(
    'round-trips the body %s exactly',
    (_l, body) => {
      const sent = envelope(body);
      expect(decodeInboxMessage(encodeInboxMessage(sent))).toEqual(sent);
    },
  );

  it('round-trips envelope fields holding quotes, the body key itself and unicode', () => {
    const tricky = envelope('{"id":1}', {
      deliveryId: 'a","body":{"x":1}',
      eventId: '\\",\\"body\\":[',
      topic: 'orders/create "quoted"',
      shop: 'é.myshopify.com',
    });
    expect(decodeInboxMessage(encodeInboxMessage(tricky))).toEqual(tricky);
  });

  it('embeds a JSON object or array body, so the whole message is JSON with the body as a value', () => {
    for (const body of BODIES.filter((b) => /^[[{]/.test(b))) {
      const message = encodeInboxMessage(envelope(body));
      let parsedBody: unknown;
      try {
        parsedBody = JSON.parse(body);
      } catch {
        expect(() => JSON.parse(message)).toThrow(SyntaxError);
        continue;
      }
      expect(JSON.parse(message)).toMatchObject({ deliveryId: envelope(body).deliveryId, body: parsedBody });
      expect(message.length).toBeLessThan(JSON.stringify(envelope(body)).length);
    }
  });

  it('sends any other body as a JSON string, as before', () => {
    for (const body of ['"a string body"', 'plain text', ' {"leading":"space"}', '']) {
      expect(JSON.parse(encodeInboxMessage(envelope(body)))).toEqual(envelope(body));
    }
  });

  it('reads messages in the earlier form, the body a JSON string, whatever it holds', () => {
    for (const body of BODIES) {
      expect(decodeInboxMessage(JSON.stringify(envelope(body)))).toEqual(envelope(body));
    }
  });

  it('throws SyntaxError for a message that is not JSON; a cut one leaves a body that is not JSON', () => {
    expect(() => decodeInboxMessage('not json')).toThrow(SyntaxError);
    expect(() => decodeInboxMessage('{"version":1,"body":"unclosed')).toThrow(SyntaxError);
    const cut = encodeInboxMessage(envelope('{"id":1,"line_items":[{"id":2}]}')).slice(0, -1);
    const { body } = decodeInboxMessage(cut) as { body: string };
    expect(() => JSON.parse(body)).toThrow(SyntaxError);
  });
});

describe('enqueueEnvelope', () => {
  /** Refuses what SQS refuses raw, and counts it. */
  class SqsLikeQueue extends MemoryQueue {
    refused = 0;
    override async send(message: QueueMessage): Promise<void> {
      if (refusedBySqs(message.body)) {
        this.refused += 1;
        throw new Error('InvalidMessageContents');
      }
      return super.send(message);
    }
  }

  it('sends the embedded form when the queue takes it', async () => {
    const queue = new SqsLikeQueue();
    expect(await enqueueEnvelope(queue, envelope('{"id":1}'))).toBe('sent');
    expect(queue.sent[0]?.body).toBe(encodeInboxMessage(envelope('{"id":1}')));
    expect(queue.refused).toBe(0);
  });

  it('falls back to the escaped form for raw characters SQS refuses, U+FFFE and U+FFFF included', async () => {
    for (const body of ['{"bell":"\u0007"}', '{"nonchar":"\uFFFF"}', '{"id":1,"header":1}']) {
      const queue = new SqsLikeQueue();
      const sent = envelope(body, { eventId: body.includes('header') ? 'ev\uFFFE' : undefined });
      expect(await enqueueEnvelope(queue, sent)).toBe('sent');
      expect(queue.refused).toBe(1);
      expect(queue.sent).toHaveLength(1);
      expect(decodeInboxMessage(queue.sent[0]?.body ?? '')).toEqual(JSON.parse(JSON.stringify(sent)));
    }
  });

  it('throws when the queue fails for any other reason, so ingest answers 503 and the platform retries', async () => {
    const queue = new MemoryQueue();
    queue.failWith = new Error('throttled');
    await expect(enqueueEnvelope(queue, envelope('{"id":1}'))).rejects.toThrow('throttled');
  });
});
