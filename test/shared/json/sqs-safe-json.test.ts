import { ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  isSqsSafeText,
  sqsSafeJsonText,
  sqsSafeText,
  stringifyForSqs,
} from '../../../shared/json/sqs-safe-json.js';
import { startTestQueues, type TestQueues } from '../../helpers/fauxqs.js';
import { allowedBySqs, HOSTILE, randomStrings, seededRandom } from '../../helpers/sqs-hostile-text.js';

describe('stringifyForSqs', () => {
  it('encodes every hostile string as text SQS accepts that parses back to the same value', () => {
    const value = { ...HOSTILE, nested: [HOSTILE.nonCharacters, { deep: HOSTILE.loneHigh }], n: 1.5 };
    const text = stringifyForSqs(value);
    expect(allowedBySqs(text)).toBe(true);
    expect(isSqsSafeText(text)).toBe(true);
    expect(JSON.parse(text)).toEqual(value);
  });

  it('leaves no surrogate or non-character raw, so the BMP-only local emulator takes it too', () => {
    const text = stringifyForSqs(HOSTILE);
    expect(text).not.toMatch(/[\uD800-\uDFFF\uFFFE\uFFFF]/);
    expect(text).toContain('\\ufffe');
    expect(text).toContain('\\ud83c\\udf81'); // 🎁 as a surrogate pair escape
  });

  it('is the same text as JSON.stringify when nothing needs escaping', () => {
    const value = { a: 'plain', b: [1, 2, { c: 'café 日本' }] };
    expect(stringifyForSqs(value)).toBe(JSON.stringify(value));
  });

  it('round-trips 2,000 random strings drawn from every UTF-16 range', () => {
    for (const text of randomStrings(20_261_128, 2_000)) {
      const encoded = stringifyForSqs({ text });
      expect(allowedBySqs(encoded)).toBe(true);
      expect((JSON.parse(encoded) as { text: string }).text).toBe(text);
    }
  });

  it('refuses a value with no JSON text', () => {
    expect(() => stringifyForSqs(undefined)).toThrow(TypeError);
  });
});

/** What JSON.parse makes of a text: its value, or that it throws. */
const outcome = (text: string): { value: unknown } | 'invalid' => {
  try {
    return { value: JSON.parse(text) };
  } catch {
    return 'invalid';
  }
};

/** Nothing a BMP-only emulator or SQS refuses: no surrogate (paired or not), no non-character, no control. */
const takenByEveryQueue = (text: string): boolean =>
  allowedBySqs(text) && !/[\uD800-\uDFFF\uFFFE\uFFFF]/.test(text);

describe('sqsSafeJsonText', () => {
  it('returns text with nothing to escape unchanged', () => {
    const text = '{"id":820982911946154508,"note":"café 日本 \\u0007 \\ud83c","n":[1.5e3]}';
    expect(sqsSafeJsonText(text)).toBe(text);
  });

  it('escapes non-characters and astral characters inside strings: the same value, taken by every queue', () => {
    for (const [name, value] of Object.entries(HOSTILE)) {
      // JSON.stringify escapes controls and lone surrogates, and leaves U+FFFE, U+FFFF and astral characters raw.
      const json = JSON.stringify({ id: 1, [name]: value, list: [value, { deep: value }] });
      const safe = sqsSafeJsonText(json);
      expect(safe, name).toBeDefined();
      expect(takenByEveryQueue(safe ?? ''), name).toBe(true);
      expect(outcome(safe ?? ''), name).toEqual(outcome(json));
    }
  });

  it('gives up on raw controls, lone surrogates, and a unit after a backslash, rather than change the text', () => {
    for (const json of [
      '{"bell":"\u0007"}',
      '{"lone":"\uD800"}',
      '{"escaped-backslash":"\\\\🛹"}',
      '{"bad-escape":"\\🛹"}',
      '{"bad-escape":"\\\uFFFE"}',
    ]) {
      expect(sqsSafeJsonText(json), JSON.stringify(json)).toBeUndefined();
    }
  });

  it('never turns valid JSON into another value, nor invalid JSON into valid, on 4,000 random insertions', () => {
    const next = seededRandom(1_234_567);
    const templates = [
      '{"a":[1,"x",{"b":"y\\\\"}],"c":12345678901234567890,"d":"\\u00e9\\"q"}',
      '[{"id":820982911946154508},"",{"k":"v"},true,null]',
    ];
    // Mostly units the encoder escapes, mixed with the characters that change how JSON reads them.
    const pieces = [
      '\uFFFE',
      '\uFFFF',
      '🎁',
      '\u{10FFFF}',
      '\uD800',
      '\uDC00',
      '\u0007',
      '"',
      '\\',
      'u',
      'a',
      ' ',
    ];
    const pieced = Array.from({ length: 2_000 }, () =>
      Array.from(
        { length: 1 + Math.floor(next() * 6) },
        () => pieces[Math.floor(next() * pieces.length)],
      ).join(''),
    );
    let escaped = 0;
    for (const inserted of [...randomStrings(99, 2_000), ...pieced]) {
      const template = templates[Math.floor(next() * templates.length)] ?? '';
      const at = Math.floor(next() * (template.length + 1));
      const json = `${template.slice(0, at)}${inserted}${template.slice(at)}`;
      const safe = sqsSafeJsonText(json);
      if (safe === undefined) continue;
      if (safe !== json) escaped += 1;
      expect(takenByEveryQueue(safe)).toBe(true);
      expect(outcome(safe)).toEqual(outcome(json));
    }
    // The generator draws surrogates and non-characters often: many insertions took the escaping path.
    expect(escaped).toBeGreaterThan(100);
  });
});

describe('isSqsSafeText and sqsSafeText', () => {
  it('apply the SQS character rule by code point', () => {
    for (const [name, text] of Object.entries(HOSTILE)) {
      expect(isSqsSafeText(text), name).toBe(allowedBySqs(text));
    }
    expect(isSqsSafeText('🎁')).toBe(true);
    expect(isSqsSafeText('\uD83D')).toBe(false);
  });

  it('replaces each refused character with U+FFFD and keeps the rest', () => {
    expect(sqsSafeText('a\uFFFEb\u0000c\uD83Dd🎁')).toBe('a\uFFFDb\uFFFDc\uFFFDd🎁');
    for (const text of randomStrings(7, 500)) expect(allowedBySqs(sqsSafeText(text))).toBe(true);
  });
});

describe('through a real SQS emulator (fauxqs on 127.0.0.1)', () => {
  let queues: TestQueues;
  let url: string;
  beforeAll(async () => {
    queues = await startTestQueues();
    url = queues.queue('sqs-safe').url;
  });
  afterAll(async () => queues?.close());

  it('refuses the raw JSON.stringify text (fauxqs enforces the character rule on bodies)', async () => {
    await expect(
      queues.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: JSON.stringify(HOSTILE) })),
    ).rejects.toMatchObject({ name: expect.stringMatching(/InvalidMessageContents$/) });
  });

  it('accepts the encoded text and returns it unchanged', async () => {
    const body = stringifyForSqs(HOSTILE);
    await queues.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: body }));
    const out = await queues.sqs.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 1 }));
    expect(out.Messages?.[0]?.Body).toBe(body);
    expect(JSON.parse(out.Messages?.[0]?.Body ?? '')).toEqual(HOSTILE);
  });
});
