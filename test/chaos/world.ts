import type { Line, Product, Shopper } from '../helpers/journey-deliveries.js';
import type { Random } from './random.js';

/**
 * The shop's people and catalogue for one chaos run, drawn from the seed. Texts mix what shoppers and merchants
 * really type: accents, emoji, and the characters queues refuse (U+FFFE, U+FFFF, lone surrogates, controls).
 */
export interface World {
  readonly shoppers: readonly Shopper[];
  readonly products: readonly Product[];
  /** A shopper of their own (never in `shoppers`): stories whose checks need nobody else touching the person. */
  freshShopper(): Shopper;
  /** A distinct id for anything the run creates (orders, carts, reviews...), unique across runs of one seed. */
  nextId(prefix: string): string;
  /** A Shopify-style numeric id: 10 digits, or 18 (past 2^53) now and then. */
  nextNumericId(): string;
  /** A 9-digit id (platform ids that are plain numbers: reviews, subscriptions, charges). */
  nextShortId(): string;
  /** One to three lines of the catalogue. */
  lines(random: Random): Line[];
}

const NAMES = ['Ann', 'Bob', 'Zoë', 'Åsa', 'José', 'Nguyễn', 'Ólafur', 'Søren', 'Mei', 'Priya'];
const TITLE_WORDS = ['Beans', 'Grinder', 'Cup', 'Kettle', 'Filter', 'Scale', 'Mug', 'Tin'];
/** What a shopper or a merchant can put in a text, characters SQS refuses included. */
const ODD_TEXT = ['🎁', 'Zoë', '\uFFFE', '\uFFFF', '\uD800', '\u0001', '\u200B', '↩', ' ', '☕'];

/** Builds the world of a run: `shoppers` people and a small catalogue. */
export const buildWorld = (random: Random, runTag: string, shoppers: number): World => {
  const products: Product[] = TITLE_WORDS.map((word, i) => {
    const odd = random.chance(0.4) ? ` ${random.pick(ODD_TEXT)}` : '';
    return {
      productId: String(8_100_000_000 + i),
      variantId: String(8_200_000_000 + i),
      title: `${word}${odd}`,
      category: random.pick(['Coffee', 'Gear', 'Accessories']),
      price: random.int(3, 240) + random.pick([0, 0.5, 0.99]),
    };
  });
  const people: Shopper[] = Array.from({ length: shoppers }, (_, i) => ({
    customerId: String(7_300_000_000 + i),
    email: `${random
      .pick(NAMES)
      .normalize('NFD')
      .replace(/[^A-Za-z]/g, '')
      .toLowerCase()}.${runTag}.${i}@chaos.example`,
  }));
  let counter = 0;
  let fresh = 0;
  return {
    shoppers: people,
    products,
    freshShopper: () => {
      fresh += 1;
      return { customerId: String(7_600_000_000 + fresh), email: `solo.${runTag}.${fresh}@chaos.example` };
    },
    nextId: (prefix) => {
      counter += 1;
      return `${prefix}-${runTag}-${counter}`;
    },
    nextNumericId: () => {
      counter += 1;
      const big = random.chance(0.4);
      return big ? `9${String(counter).padStart(17, '0')}` : String(5_700_000_000 + counter);
    },
    nextShortId: () => {
      counter += 1;
      return String(300_000_000 + counter);
    },
    lines: (r) =>
      r
        .shuffle(products)
        .slice(0, r.int(1, 3))
        .map((product) => ({ product, quantity: r.int(1, 4) })),
  };
};
