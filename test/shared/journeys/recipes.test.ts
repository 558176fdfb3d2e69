import { describe, expect, it } from 'vitest';
import { EVENT_NAMES } from '../../../shared/canonical/events.js';
import type { Condition, PropertyFilter } from '../../../shared/journeys/conditions.js';
import { RECIPES, type Recipe } from '../../../shared/journeys/recipes.js';
import { eventHasPath, isPersonAttribute } from '../../helpers/schema-paths.js';

/** `products[].product_id` for a nested filter. */
const filterPaths = (filters: readonly PropertyFilter[], prefix = ''): string[] =>
  filters.flatMap((f) =>
    'is' in f ? [`${prefix}${f.property}`] : filterPaths(f.atLeastOne, `${prefix}${f.property}[].`),
  );

const conditions = (recipe: Recipe): Condition[] => {
  const flat = (c: Condition): Condition[] =>
    c.kind === 'all' || c.kind === 'any' ? c.of.flatMap(flat) : [c];
  if (recipe.audience.kind === 'segment') return flat(recipe.audience.condition);
  const { filter, messages } = recipe.audience.campaign;
  return [...(filter ? flat(filter) : []), ...messages.flatMap((m) => flat(m.sendIf))];
};

/** Every (event, property path) a recipe reads, from conditions, trigger, goal and Liquid. */
const eventPaths = (recipe: Recipe): [string, string][] => {
  const paths: [string, string][] = conditions(recipe).flatMap((c) =>
    c.kind === 'event' ? filterPaths(c.where).map((p): [string, string] => [c.event, p]) : [],
  );
  if (recipe.audience.kind === 'campaign') {
    const { trigger, goal } = recipe.audience.campaign;
    paths.push(...filterPaths(trigger.where).map((p): [string, string] => [trigger.event, p]));
    if (goal) paths.push(...filterPaths(goal.where).map((p): [string, string] => [goal.event, p]));
    for (const field of recipe.liquid) {
      if (field.path.startsWith('event.')) paths.push([trigger.event, field.path.slice('event.'.length)]);
    }
  }
  return paths;
};

const eventNames = (recipe: Recipe): string[] => [
  ...conditions(recipe).flatMap((c) => (c.kind === 'event' ? [c.event] : [])),
  ...(recipe.audience.kind === 'campaign'
    ? [recipe.audience.campaign.trigger.event, recipe.audience.campaign.goal?.event ?? '']
    : []),
];

const byId = RECIPES.map((recipe) => [recipe.id, recipe] as const);

describe('RECIPES', () => {
  it('have unique kebab-case ids (their anchors in docs/journeys.md)', () => {
    const ids = RECIPES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.filter((id) => !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(id))).toEqual([]);
  });

  it.each(byId)('%s names only canonical events', (_id, recipe) => {
    const known = new Set<string>(EVENT_NAMES);
    expect(eventNames(recipe).filter((name) => !known.has(name))).toEqual([]);
  });

  it.each(byId)('%s reads only event properties the connector sends', (_id, recipe) => {
    expect(eventPaths(recipe).filter(([event, path]) => !eventHasPath(event, path))).toEqual([]);
  });

  it.each(byId)('%s reads only person attributes the connector maintains', (_id, recipe) => {
    const attributes = [
      ...conditions(recipe).flatMap((c) => (c.kind === 'attribute' ? [c.attribute] : [])),
      ...recipe.liquid.flatMap((f) =>
        f.path.startsWith('customer.') ? [f.path.slice('customer.'.length)] : [],
      ),
    ];
    expect(attributes.filter((a) => !isPersonAttribute(a))).toEqual([]);
  });

  it.each(byId)('%s uses whole-day segment windows of at least one day', (_id, recipe) => {
    const windows = conditions(recipe).flatMap((c) =>
      c.kind === 'event' && c.within ? [c.within.days] : [],
    );
    expect(windows.filter((days) => !Number.isInteger(days) || days < 1)).toEqual([]);
  });

  it('send every campaign message only to people who consented to its channel', () => {
    const rules = RECIPES.flatMap((r) =>
      r.audience.kind === 'campaign'
        ? r.audience.campaign.messages.map((m) => [m.channel, m.sendIf] as const)
        : [],
    );
    expect(rules.length).toBeGreaterThan(0);
    for (const [channel, sendIf] of rules) {
      expect(sendIf).toEqual({
        kind: 'attribute',
        attribute: channel === 'email' ? 'accepts_email_marketing' : 'accepts_sms_marketing',
        is: { op: 'equals', value: true },
      });
    }
  });

  it('give every campaign a conversion goal it exits on, so one conversion stops every channel', () => {
    const campaigns = RECIPES.flatMap((r) =>
      r.audience.kind === 'campaign' ? [[r.id, r.audience.campaign] as const] : [],
    );
    expect(campaigns.filter(([, c]) => !c.goal || c.exit === 'filter').map(([id]) => id)).toEqual([]);
  });

  it('state the latency they need when they act on carts within hours', () => {
    const cartTimed = RECIPES.filter((r) =>
      eventNames(r).some((n) => ['Cart Abandoned', 'Checkout Abandoned', 'Added to Cart'].includes(n)),
    );
    expect(cartTimed.length).toBeGreaterThan(0);
    expect(cartTimed.filter((r) => !r.latency).map((r) => r.id)).toEqual([]);
  });
});
