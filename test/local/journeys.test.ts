import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../../local/local-stack.js';
import {
  attributesAt,
  type CaptureModel,
  findPerson,
  type Person,
  peopleFromCapture,
} from '../../shared/journeys/capture-people.js';
import { spanMs } from '../../shared/journeys/conditions.js';
import {
  type CampaignOutcome,
  channelsMessaged,
  matches,
  runCampaign,
} from '../../shared/journeys/evaluate.js';
import { RECIPES, type Recipe } from '../../shared/journeys/recipes.js';
import { checkName } from '../../shared/journeys/render-recipe.js';
import { silentLog } from '../../shared/ports/telemetry.js';
import { readCaptureFile } from '../helpers/capture-file.js';
import { pixel, type Shopper, sendBeacon } from '../helpers/journey-deliveries.js';
import { PHASES, PRODUCTS, SCENARIOS, STRANGER } from '../helpers/journey-scenarios.js';
import { waitForCartChecks, waitForQuiet } from '../helpers/local-stack-quiet.js';

// One recovery step, 15 s after the last cart activity: long enough for an order sent right after a checkout to
// be processed first (the rescued shoppers), short enough to wait for.
const CART_STEPS = '0.25';

/** How far past now campaigns are judged: after their longest delay, assuming nothing else arrives. */
const horizon = (recipe: Recipe): number =>
  recipe.audience.kind === 'campaign'
    ? Math.max(...recipe.audience.campaign.messages.map((m) => spanMs(m.after))) + 60_000
    : 0;

/** Whether the recipe reaches the person: segment membership now, or a campaign message sent by its horizon. */
const verdict = (recipe: Recipe, person: Person | undefined, now: number): boolean => {
  if (!person) return false;
  if (recipe.audience.kind === 'segment') return matches(recipe.audience.condition, person, now);
  return channelsMessaged(runCampaign(recipe.audience.campaign, person, now + horizon(recipe))).length > 0;
};

describe('journeys: every recipe of docs/journeys.md on what the connector sent (local stack → capture)', () => {
  let stack: LocalStack;
  let dataDir: string;
  let model: CaptureModel;
  let now: number;
  const person = (who: Shopper): Person | undefined => findPerson(model, { id: who.customerId });

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'journeys-'));
    stack = await startLocalStack({
      apiPort: 0,
      dataDir,
      visibilityTimeoutSeconds: 1,
      cartRecoveryStepsMinutes: CART_STEPS,
      log: silentLog,
    });
    const t0 = Date.now();
    await sendBeacon(stack.apiUrl, {
      name: 'product_viewed',
      browser: STRANGER,
      at: new Date(t0),
      data: pixel.productViewed(PRODUCTS.grinder),
    });
    for (const phase of PHASES) {
      if (phase === 'after-recovery') await waitForCartChecks(stack);
      await Promise.all(
        Object.values(SCENARIOS).flatMap((s) =>
          (s.phases[phase] ?? []).map((step) => step(stack.apiUrl, t0)),
        ),
      );
      await waitForQuiet(stack);
    }
    await waitForCartChecks(stack);
    model = peopleFromCapture(readCaptureFile(join(dataDir, 'customerio-capture.jsonl')));
    now = Date.now();
  }, 180_000);

  afterAll(async () => {
    await stack?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('has a scenario for every recipe, and no other', () => {
    expect(Object.keys(SCENARIOS).sort()).toEqual(RECIPES.map((r) => r.id).sort());
  });

  it('parked nothing and captured only operations the model reads', () => {
    const parked = ['inbox-dlq', 'outbox-dlq'].flatMap(
      (q) => stack.fauxqs.inspectQueue(q)?.messages.ready ?? [],
    );
    expect(parked.map((m) => m.body.slice(0, 200))).toEqual([]);
    expect(model.unreadable).toEqual([]);
  });

  for (const recipe of RECIPES) {
    it(checkName(recipe.id), () => {
      const { id } = recipe;
      const scenario = SCENARIOS[id];
      if (!scenario) throw new Error(`no scenario for ${id}`);
      const expected = Object.fromEntries([
        ...scenario.enters.map((who) => [who.email, true] as const),
        ...scenario.staysOut.map((who) => [who.email, false] as const),
      ]);
      const actual = Object.fromEntries(
        [...scenario.enters, ...scenario.staysOut].map((who) => [
          who.email,
          verdict(recipe, person(who), now),
        ]),
      );
      expect(actual).toEqual(expected);
    });
  }

  it.each(RECIPES.map((recipe) => [recipe.id, recipe] as const))(
    '%s: every Liquid field the template reads is filled for the entering people',
    (id, recipe) => {
      const scenario = SCENARIOS[id];
      if (!scenario) throw new Error(`no scenario for ${id}`);
      const missing = scenario.enters.flatMap((who) => {
        const found = person(who);
        if (!found) return [`${who.email}: no profile`];
        const outcome: CampaignOutcome | undefined =
          recipe.audience.kind === 'campaign'
            ? runCampaign(recipe.audience.campaign, found, now + horizon(recipe))
            : undefined;
        const eventData = outcome?.kind === 'entered' ? outcome.trigger.data : {};
        return recipe.liquid
          .filter((field) => field.fallback === undefined)
          .filter((field) => {
            const [root, ...path] = field.path.replace('[]', '.0').split('.');
            let value: unknown = root === 'customer' ? attributesAt(found) : eventData;
            for (const key of path) value = (value as Record<string, unknown> | undefined)?.[key];
            return value === undefined;
          })
          .map((field) => `${who.email}: ${field.path}`);
      });
      expect(missing).toEqual([]);
    },
  );

  it('cart recovery: each shopper gets the channel they consented to, and only that one', () => {
    const audience = RECIPES.find((r) => r.id === 'cart-recovery')?.audience;
    if (audience?.kind !== 'campaign') throw new Error('cart-recovery is a campaign');
    const [email, sms] = SCENARIOS['cart-recovery']?.enters ?? [];
    const channels = (who: Shopper | undefined) => {
      const found = who && person(who);
      return found ? channelsMessaged(runCampaign(audience.campaign, found, now)) : [];
    };
    expect({ email: channels(email), sms: channels(sms) }).toEqual({ email: ['email'], sms: ['sms'] });
  });

  it('a browser never linked to a person stays anonymous: in the capture, in no profile', () => {
    expect(model.anonymousEvents.filter((e) => e.anonymousId === STRANGER).map((e) => e.event.name)).toEqual([
      'Product Viewed',
    ]);
    expect(model.people.filter((p) => p.anonymousIds.includes(STRANGER))).toEqual([]);
  });
});
