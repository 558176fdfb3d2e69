/** Every kind of character a shopper or a platform can put into a JSON string. */
export const HOSTILE = {
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
export const allowedBySqs = (text: string): boolean =>
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

/** A seeded linear congruential generator in [0, 1): the same sequence on every run. */
export const seededRandom = (seed: number): (() => number) => {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
};

/** A seeded generator of strings drawn from every UTF-16 range, surrogate halves included. */
export const randomStrings = (seed: number, count: number): string[] => {
  const next = seededRandom(seed);
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
