import { describe, expect, it } from 'vitest';
import {
  allOf,
  anyOf,
  attribute,
  type Comparison,
  contains,
  doesNotExist,
  isEqualTo,
  isGreaterThan,
  notPerformed,
  onEvent,
  performed,
  span,
  timestampBeforeDaysAgo,
  where,
  whereAtLeastOne,
} from '../../../shared/journeys/conditions.js';
import type { Recipe } from '../../../shared/journeys/recipes.js';
import {
  blockIds,
  recipeData,
  renderComparison,
  renderCondition,
  renderRecipeBlock,
  spliceRecipeBlocks,
} from '../../../shared/journeys/render-recipe.js';

const campaignRecipe: Recipe = {
  id: 'demo-campaign',
  title: 'Demo',
  seed: 'demo',
  audience: {
    kind: 'campaign',
    campaign: {
      trigger: onEvent('Order Completed', where('is_test', isEqualTo(false))),
      goal: onEvent('Order Completed'),
      exit: 'goal',
      messages: [
        {
          channel: 'sms',
          after: span(1, 'hours'),
          sendIf: attribute('accepts_sms_marketing', isEqualTo(true)),
        },
      ],
    },
  },
  liquid: [
    { path: 'event.products[].name', use: 'line | items' },
    { path: 'customer.first_name', use: 'greeting', fallback: 'there' },
  ],
  latency: 'Fast.',
};

describe('renderComparison', () => {
  it.each<[Comparison, string]>([
    [isEqualTo(true), 'is equal to true'],
    [isEqualTo('Coffee'), 'is equal to "Coffee"'],
    [isGreaterThan(1), 'is greater than 1'],
    [{ op: 'lessThan', value: 3 }, 'is less than 3'],
    [contains(','), 'contains ","'],
    [{ op: 'exists' }, 'exists'],
    [doesNotExist(), 'does not exist'],
    [timestampBeforeDaysAgo(90), 'is a timestamp before 90 days ago'],
    [{ op: 'timestampAfter', daysAgo: 1 }, 'is a timestamp after 1 day ago'],
  ])('%j reads "%s"', (comparison, words) => {
    expect(renderComparison(comparison)).toBe(words);
  });
});

describe('renderCondition', () => {
  it('writes Customer.io’s builder wording, nesting all/any as bullet lists', () => {
    const condition = allOf(
      anyOf(
        performed('Checkout Abandoned', { within: { days: 1 }, where: [where('step', isEqualTo(1))] }),
        attribute('last_order_at', doesNotExist()),
      ),
      notPerformed('Order Completed', {
        within: { days: 30 },
        where: [whereAtLeastOne('products', where('product_id', isEqualTo('9')))],
      }),
      performed('Order Completed'),
    );
    expect(renderCondition(condition)).toBe(
      [
        '- All of:',
        '  - Any of:',
        '    - Has performed event `Checkout Abandoned` within the past 1 day, where event data `step` is equal to 1',
        '    - Attribute `last_order_at` does not exist',
        '  - Has not performed event `Order Completed` within the past 30 days, where event data `products` has at least one entry where `product_id` is equal to "9"',
        '  - Has performed event `Order Completed` over all time',
      ].join('\n'),
    );
  });
});

describe('renderRecipeBlock', () => {
  it('lists trigger, filter, goal, exit, messages, data, latency and Liquid of a campaign', () => {
    const block = renderRecipeBlock(campaignRecipe);
    expect(block).toContain(
      '- **Trigger** (event-triggered campaign): a person performs event `Order Completed`, where event data `is_test` is equal to false',
    );
    expect(block).toContain('- **Filter:** none');
    expect(block).toContain('- **Conversion goal:** performs event `Order Completed`');
    expect(block).toContain('- **Exit:** They achieve the goal');
    expect(block).toContain(
      '  1. SMS, 1 hour after the trigger, sent only if attribute `accepts_sms_marketing` is equal to true',
    );
    expect(block).toContain(
      '- **Data:** events `Order Completed` (`is_test`, `products`); attributes `accepts_sms_marketing`, `first_name`',
    );
    expect(block).toContain('- **Latency:** Fast. Guarded by the [queue-age alarm](runbook.md#queue-age).');
    expect(block.split('\n').slice(-4)).toEqual([
      '| Liquid                                                      | for           |',
      '| ----------------------------------------------------------- | ------------- |',
      '| `{{ item.name }}` inside `{% for item in event.products %}` | line \\| items |',
      '| `{{ customer.first_name \\| default: "there" }}`             | greeting      |',
    ]);
  });

  it('derives the data a recipe depends on', () => {
    const data = recipeData(campaignRecipe);
    expect([...data.events].map(([name, props]) => [name, [...props]])).toEqual([
      ['Order Completed', ['is_test', 'products']],
    ]);
    expect([...data.attributes]).toEqual(['accepts_sms_marketing', 'first_name']);
  });
});

describe('spliceRecipeBlocks', () => {
  it('rewrites only the text between a recipe’s markers and leaves the prose around them', () => {
    const doc = [
      'Intro.',
      '<!-- recipe:demo-campaign (stale header) -->',
      'old text',
      '<!-- /recipe:demo-campaign -->',
      'Outro.',
    ].join('\n');
    const spliced = spliceRecipeBlocks(doc, [campaignRecipe]);
    expect(
      spliced.startsWith('Intro.\n<!-- recipe:demo-campaign (generated from shared/journeys/recipes.ts'),
    ).toBe(true);
    expect(spliced).toContain(renderRecipeBlock(campaignRecipe));
    expect(spliced).not.toContain('old text');
    expect(spliced.endsWith('<!-- /recipe:demo-campaign -->\nOutro.')).toBe(true);
    expect(spliceRecipeBlocks(spliced, [campaignRecipe])).toBe(spliced);
    expect(blockIds(spliced)).toEqual(['demo-campaign']);
  });

  it('leaves a document without the markers unchanged', () => {
    expect(spliceRecipeBlocks('No blocks here.', [campaignRecipe])).toBe('No blocks here.');
  });
});
