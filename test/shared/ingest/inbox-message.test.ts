import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqsMessageQueue } from '../../../shared/adapters/sqs-message-queue.js';
import type { WebhookEnvelope } from '../../../shared/ingest/envelope.js';
import {
  decodeInboxMessage,
  encodeInboxMessage,
  enqueueEnvelope,
} from '../../../shared/ingest/inbox-message.js';
import { parseJsonLossless } from '../../../shared/json/lossless-json.js';
import { MemoryQueue } from '../../helpers/fakes.js';
import { startTestQueues, type TestQueues } from '../../helpers/fauxqs.js';
import { allowedBySqs, HOSTILE, randomStrings } from '../../helpers/sqs-hostile-text.js';

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

/** What a lossless parse makes of a body: its value (large ids exact), or that it is not JSON. */
const outcome = (text: string): { value: unknown } | 'invalid' => {
  try {
    return { value: parseJsonLossless(text) };
  } catch {
    return 'invalid';
  }
};

/** Nothing SQS or the BMP-only local emulator refuses. */
const takenByEveryQueue = (text: string): boolean =>
  allowedBySqs(text) && !/[\uD800-\uDFFF\uFFFE\uFFFF]/.test(text);

/** Decodes a message and checks it against what was sent: fields exact, body the same JSON (or exact text). */
const expectSameEnvelope = (message: string, sent: WebhookEnvelope): void => {
  expect(takenByEveryQueue(message)).toBe(true);
  const { body, ...fields } = decodeInboxMessage(message) as WebhookEnvelope;
  const { body: sentBody, ...sentFields } = sent;
  expect(fields).toEqual(JSON.parse(JSON.stringify(sentFields)));
  expect(outcome(body)).toEqual(outcome(sentBody));
  // Only the escapes SQS needs may differ: a body with nothing to escape arrives as its exact text.
  if (takenByEveryQueue(sentBody)) expect(body).toBe(sentBody);
};

/** Bodies a platform may send, each hostile string raw in a JSON string, and as JSON.stringify writes it. */
const hostileBodies = (): string[] =>
  Object.values(HOSTILE).flatMap((text) => [
    `{"id":820982911946154508,"note":"${text}"}`,
    JSON.stringify({ id: 1, note: text, list: [text] }).replace('"id":1', '"id":820982911946154508'),
  ]);

describe('inbox message encoding', () => {
  it.each(BODIES.map((b) => [JSON.stringify(b).slice(0, 40), b]))('round-trips the body %s', (_l, body) =>
    expectSameEnvelope(encodeInboxMessage(envelope(body)), envelope(body)),
  );

  it('round-trips every hostile string, raw or escaped, in a body: SQS-safe, the same value, ids exact', () => {
    for (const body of hostileBodies())
      expectSameEnvelope(encodeInboxMessage(envelope(body)), envelope(body));
  });

  it('round-trips 2,000 random strings from every UTF-16 range, as bodies and as envelope fields', () => {
    for (const text of randomStrings(4_242, 2_000)) {
      const raw = envelope(`{"q":"${text}","id":820982911946154508}`, { eventId: `ev${text}` });
      expectSameEnvelope(encodeInboxMessage(raw), raw);
      const escaped = envelope(JSON.stringify({ q: text }));
      expectSameEnvelope(encodeInboxMessage(escaped), escaped);
    }
  });

  it('round-trips envelope fields holding quotes, the body key itself and unicode', () => {
    const tricky = envelope('{"id":1}', {
      deliveryId: 'a","body":{"x":1}',
      eventId: '\\",\\"body\\":[ \uFFFE 🎁',
      topic: 'orders/create "quoted"',
      shop: 'é.myshopify.com',
    });
    expectSameEnvelope(encodeInboxMessage(tricky), tricky);
  });

  it('embeds a JSON object or array body, so the whole message is JSON with the body as a value', () => {
    // JSON as a platform writes it (well-formed: controls and lone surrogates escaped) is always embedded.
    const wellFormed = Object.values(HOSTILE).map((text) => JSON.stringify({ note: text, list: [text] }));
    for (const body of [...BODIES.filter((b) => /^[[{]/.test(b)), ...wellFormed]) {
      const message = encodeInboxMessage(envelope(body));
      const parsed = outcome(body);
      if (parsed === 'invalid') {
        expect(() => JSON.parse(message)).toThrow(SyntaxError);
        continue;
      }
      expect(JSON.parse(message)).toMatchObject({
        deliveryId: envelope(body).deliveryId,
        body: JSON.parse(body),
      });
    }
  });

  it('embeds a body with emoji and non-characters, escaped in place, and is shorter than the escaped form', () => {
    const body = '{"id":820982911946154508,"note":"🎁 \uFFFE","title":"line\\nbreak \\"quoted\\""}';
    const message = encodeInboxMessage(envelope(body));
    expect(message).toContain(',"body":{"id":820982911946154508,"note":"\\ud83c\\udf81 \\ufffe"');
    expect(message.length).toBeLessThan(JSON.stringify(envelope(body)).length);
  });

  it('sends any other body as a JSON string: not a JSON container, raw controls, a unit after a backslash', () => {
    for (const body of [
      '"a string body"',
      'plain text',
      ' {"leading":"space"}',
      '',
      '{"bell":"\u0007"}',
      '{"a":"\\\\🎁"}',
    ]) {
      const message = encodeInboxMessage(envelope(body));
      expect(message).toContain(',"body":"');
      expect((decodeInboxMessage(message) as WebhookEnvelope).body).toBe(body);
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
  it('sends the encoded message once', async () => {
    const queue = new MemoryQueue();
    expect(await enqueueEnvelope(queue, envelope('{"id":1}'))).toBe('sent');
    expect(queue.sent.map((m) => m.body)).toEqual([encodeInboxMessage(envelope('{"id":1}'))]);
  });

  it('answers too_large, sending nothing, when escaping grows the message past what SQS takes', async () => {
    const queue = new MemoryQueue();
    // 200,000 emoji: 800 KB of UTF-8 under the ingest cap, 2.4 MB once escaped.
    const body = `{"note":"${'🎁'.repeat(200_000)}"}`;
    expect(await enqueueEnvelope(queue, envelope(body))).toBe('too_large');
    expect(queue.sent).toHaveLength(0);
  });

  it('throws when the queue fails, so ingest answers 503 and the platform retries', async () => {
    const queue = new MemoryQueue();
    queue.failWith = new Error('throttled');
    await expect(enqueueEnvelope(queue, envelope('{"id":1}'))).rejects.toThrow('throttled');
  });
});

describe('through a real SQS emulator (fauxqs on 127.0.0.1)', () => {
  let queues: TestQueues;
  beforeAll(async () => {
    queues = await startTestQueues();
  });
  afterAll(async () => queues?.close());

  it('queues every hostile body (U+FFFE, U+FFFF, lone surrogates, controls, emoji) and reads it back the same', async () => {
    const { url } = queues.queue('inbox-hostile-bodies');
    const queue = new SqsMessageQueue(queues.sqs, url);
    const bodies = hostileBodies();
    for (const body of bodies) expect(await enqueueEnvelope(queue, envelope(body))).toBe('sent');
    const received: string[] = [];
    while (received.length < bodies.length) {
      const out = await queues.sqs.send(
        new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
      );
      received.push(...(out.Messages ?? []).map((m) => m.Body ?? ''));
    }
    const byBody = new Map(bodies.map((body) => [encodeInboxMessage(envelope(body)), body]));
    for (const message of received) {
      const sent = byBody.get(message);
      expect(sent).toBeDefined();
      expectSameEnvelope(message, envelope(sent ?? ''));
    }
  });
});
