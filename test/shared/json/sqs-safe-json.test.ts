import { ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isSqsSafeText, sqsSafeText, stringifyForSqs } from '../../../shared/json/sqs-safe-json.js';
import { startTestQueues, type TestQueues } from '../../helpers/fauxqs.js';

/** Every kind of character a shopper or a platform can put into a JSON string. */
const HOSTILE = {
  nonCharacters: 'note \uFFFE and \uFFFF',
  loneHigh: 'a\uD83Db',
  loneLow: 'a\uDE00b',
  reversedPair: '\uDE00\uD83D',
  controls: 'nul\u0000 bel\u0007 esc\u001B unit\u001F del\u007F nel\u0085',
  whitespace: 'tab\t lf\n cr\r',
  emoji: 'gift 🎁 family 👨‍👩‍👧 flag 🇫🇷',
  astral: 'math 𝔸 cjk-ext 𠀀 last \u{10FFFF}',
  bmp: 'café 日本 \uFEFF bom \uE000 private \uFFFD replacement \uD7FF',
  quotes: 'say "hi" \\ back\\slash \u2028 \u2029',
};

/** The rule as written in the SQS docs, applied code point by code point. */
const allowedBySqs = (text: string): boolean =>
  Array.from(text).every((char) => {
    const cp = char.codePointAt(0) ?? 0;
    return (
      cp === 0x9 ||
      cp === 0xa ||
      cp === 0xd ||
      (cp >= 0x20 && cp <= 0xd7ff) ||
      (cp >= 0xe000 && cp <= 0xfffd) ||
      (cp >= 0x10000 && cp <= 0x10ffff)
    );
  });

/** A seeded generator of strings drawn from every UTF-16 range, surrogate halves included. */
const randomStrings = (seed: number, count: number): string[] => {
  let state = seed;
  const next = () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
  const ranges: [number, number][] = [
    [0x0, 0x1f],
    [0x20, 0x7e],
    [0x7f, 0x9f],
    [0xa0, 0xd7ff],
    [0xd800, 0xdbff],
    [0xdc00, 0xdfff],
    [0xe000, 0xfffd],
    [0xfffe, 0xffff],
  ];
  return Array.from({ length: count }, () => {
    let text = '';
    const length = Math.floor(next() * 40);
    for (let i = 0; i < length; i += 1) {
      const [low, high] = ranges[Math.floor(next() * ranges.length)] ?? [0x20, 0x7e];
      text += String.fromCharCode(low + Math.floor(next() * (high - low + 1)));
    }
    return text;
  });
};

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
