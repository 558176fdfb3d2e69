import { anonymousCartStory, checkoutStory } from './cart-stories.js';
import { orderStory, type StoryContext } from './order-stories.js';
import { customerUpdatesStory, reviewStory, subscriptionStory } from './people-stories.js';
import { seededRandom } from './random.js';
import type { PlannedDelivery, Scenario, Story } from './scenario-types.js';
import { buildWorld } from './world.js';

/** What shapes a run's plan. */
export interface ScenarioOptions {
  readonly seed: number;
  /** Deliveries to send, copies included (the plan stops at the first story that reaches it). */
  readonly deliveries: number;
  /** Milliseconds over which the stories start. */
  readonly spreadMs: number;
  /** Share of deliveries a platform sends more than once (2 or 3 copies). */
  readonly duplicateRate: number;
}

/** Story kinds and how often each is drawn. */
const KINDS: readonly { readonly weight: number; readonly build: (ctx: StoryContext) => Story }[] = [
  { weight: 30, build: (ctx) => orderStory(ctx) },
  { weight: 3, build: (ctx) => orderStory(ctx, { test: true }) },
  { weight: 12, build: (ctx) => checkoutStory(ctx, false) },
  { weight: 12, build: (ctx) => checkoutStory(ctx, true) },
  { weight: 8, build: anonymousCartStory },
  { weight: 8, build: reviewStory },
  { weight: 10, build: subscriptionStory },
  { weight: 8, build: customerUpdatesStory },
];
const TOTAL_WEIGHT = KINDS.reduce((sum, kind) => sum + kind.weight, 0);

/** The kind a draw in [0, TOTAL_WEIGHT) falls on. */
const drawKind = (draw: number): (typeof KINDS)[number] => {
  let left = draw;
  for (const kind of KINDS) {
    left -= kind.weight;
    if (left < 0) return kind;
  }
  return KINDS[0] as (typeof KINDS)[number];
};

/** Now and then a story's deliveries leave in another order than they happened (platforms do not queue). */
const reorder = (story: Story, shuffle: boolean, swap: (ats: number[]) => number[]): Story => {
  if (!shuffle) return story;
  const ats = swap(story.deliveries.map((d) => d.at));
  return { ...story, deliveries: story.deliveries.map((d, i) => ({ ...d, at: ats[i] ?? d.at })) };
};

/**
 * The plan of one run, from its seed alone: the stories (orders with their Shopify and Recharge twins and
 * follow-ups, checkouts abandoned or converted, anonymous carts, reviews on four platforms, Recharge
 * subscriptions, customer update sequences), when each delivery leaves, how many copies, and what Customer.io must
 * end up with. `start` (epoch ms) only dates the payloads.
 */
export const buildScenario = (options: ScenarioOptions, start: number): Scenario => {
  const random = seededRandom(options.seed);
  const world = buildWorld(
    random.fork('world'),
    `s${options.seed}`,
    Math.max(4, Math.round(options.deliveries / 10)),
  );
  const stories: Story[] = [];
  let copies = 0;
  while (copies < options.deliveries) {
    const offset = random.int(0, options.spreadMs);
    const kind = drawKind(random.next() * TOTAL_WEIGHT);
    const built = kind.build({ random, world, start: start + offset, duplicateRate: options.duplicateRate });
    const story = reorder(built, random.chance(0.3), (ats) => random.shuffle(ats));
    const shifted: Story = {
      ...story,
      deliveries: story.deliveries.map((d): PlannedDelivery => ({ ...d, at: d.at + offset })),
    };
    stories.push(shifted);
    copies += shifted.deliveries.reduce((sum, d) => sum + d.copies, 0);
  }
  return {
    seed: options.seed,
    stories,
    deliveries: stories.flatMap((s) => s.deliveries).sort((a, b) => a.at - b.at),
    expected: stories.flatMap((s) => s.expected),
    tolerated: stories.flatMap((s) => s.tolerated ?? []),
    people: stories.flatMap((s) => s.people ?? []),
  };
};
