import type {
  Campaign,
  CampaignMessage,
  Comparison,
  Condition,
  EventMatch,
  ExitCriteria,
  PropertyFilter,
  Scalar,
  Span,
} from './conditions.js';
import type { LiquidField, Recipe } from './recipes.js';

/** Where docs/journeys.md points for the latency every time-sensitive recipe needs. */
export const LATENCY_ALARM = 'runbook.md#queue-age';

const value = (v: Scalar): string => (typeof v === 'string' ? `"${v}"` : String(v));

/** One operator in the words of Customer.io's condition builder. */
export const renderComparison = (is: Comparison): string => {
  switch (is.op) {
    case 'equals':
      return `is equal to ${value(is.value)}`;
    case 'greaterThan':
      return `is greater than ${is.value}`;
    case 'lessThan':
      return `is less than ${is.value}`;
    case 'contains':
      return `contains ${value(is.value)}`;
    case 'exists':
      return 'exists';
    case 'notExists':
      return 'does not exist';
    case 'timestampBefore':
      return `is a timestamp before ${days(is.daysAgo)} ago`;
    case 'timestampAfter':
      return `is a timestamp after ${days(is.daysAgo)} ago`;
  }
};

const days = (n: number): string => `${n} ${n === 1 ? 'day' : 'days'}`;

const renderFilter = (filter: PropertyFilter): string =>
  'is' in filter
    ? `\`${filter.property}\` ${renderComparison(filter.is)}`
    : `\`${filter.property}\` has at least one entry where ${filter.atLeastOne.map(renderFilter).join(' and ')}`;

const renderWhere = (filters: readonly PropertyFilter[]): string =>
  filters.length === 0 ? '' : `, where event data ${filters.map(renderFilter).join(' and ')}`;

/** An event match: `event \`Name\`, where event data …`. */
const renderEventMatch = (match: EventMatch): string => `event \`${match.event}\`${renderWhere(match.where)}`;

/** A condition as Markdown bullets (nested for all/any), indented by `depth` levels. */
export const renderCondition = (condition: Condition, depth = 0): string => {
  const indent = '  '.repeat(depth);
  switch (condition.kind) {
    case 'all':
    case 'any':
      return [
        `${indent}- ${condition.kind === 'all' ? 'All of:' : 'Any of:'}`,
        ...condition.of.map((c) => renderCondition(c, depth + 1)),
      ].join('\n');
    case 'attribute':
      return `${indent}- Attribute \`${condition.attribute}\` ${renderComparison(condition.is)}`;
    case 'event': {
      const verb = condition.performed ? 'Has performed' : 'Has not performed';
      const window = condition.within ? `within the past ${days(condition.within.days)}` : 'over all time';
      return `${indent}- ${verb} event \`${condition.event}\` ${window}${renderWhere(condition.where)}`;
    }
  }
};

const renderSpan = (s: Span): string =>
  s.amount === 0
    ? 'right away'
    : `${s.amount} ${s.amount === 1 ? s.unit.slice(0, -1) : s.unit} after the trigger`;

const EXIT_WORDS: Readonly<Record<ExitCriteria, string>> = {
  goal: 'They achieve the goal',
  filter: 'They stop matching the filters',
  'goal-or-filter': 'They achieve the goal or they stop matching the filters',
};

const renderMessage = (message: CampaignMessage, index: number): string => {
  const send = renderCondition(message.sendIf)
    .replace(/^- /, '')
    .replace(/^Attribute/, 'attribute');
  return `  ${index + 1}. ${message.channel === 'email' ? 'Email' : 'SMS'}, ${renderSpan(message.after)}, sent only if ${send}`;
};

const renderCampaign = (campaign: Campaign): string[] => [
  `- **Trigger** (event-triggered campaign): a person performs ${renderEventMatch(campaign.trigger)}`,
  ...(campaign.filter
    ? ['- **Filter** (checked when they enter and before each message):', renderCondition(campaign.filter, 1)]
    : ['- **Filter:** none']),
  `- **Conversion goal:** ${campaign.goal ? `performs ${renderEventMatch(campaign.goal)}` : 'none'}`,
  `- **Exit:** ${EXIT_WORDS[campaign.exit]}`,
  '- **Messages** (people with `unsubscribed` true get none):',
  ...campaign.messages.map(renderMessage),
];

const renderSegment = (condition: Condition): string[] => [
  '- **Segment** (data-driven), conditions:',
  renderCondition(condition, 1),
  '- **Use it:** as a broadcast audience, or as the trigger of a segment-triggered campaign with the exit ' +
    '"They stop matching the trigger"; every message follows the [consent rules](#consent-and-suppression).',
];

/** A Markdown table cell: a pipe, even inside code, would end the cell. */
const cell = (text: string): string => text.replaceAll('|', '\\|');

/** A Markdown table with padded columns, as the repository's formatter (Biome) writes it. */
const markdownTable = (header: readonly string[], rows: readonly (readonly string[])[]): string => {
  const lines = [header, ...rows].map((row) => row.map(cell));
  const widths = header.map((_, i) => Math.max(3, ...lines.map((row) => (row[i] ?? '').length)));
  const line = (row: readonly string[]): string =>
    `| ${widths.map((width, i) => (row[i] ?? '').padEnd(width)).join(' | ')} |`;
  const [head = [], ...body] = lines;
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
};

const renderLiquid = (fields: readonly LiquidField[]): string[] => {
  const rows = fields.map((field) => {
    const [list, entry] = field.path.split('[].');
    const fallback = field.fallback === undefined ? '' : ` | default: "${field.fallback}"`;
    const liquid =
      entry === undefined
        ? `\`{{ ${field.path}${fallback} }}\``
        : `\`{{ item.${entry}${fallback} }}\` inside \`{% for item in ${list} %}\``;
    return [liquid, field.use];
  });
  return ['', markdownTable(['Liquid', 'for'], rows)];
};

/** The events (with the properties read) and attributes a recipe depends on, for its "Data" line. */
export const recipeData = (
  recipe: Recipe,
): {
  readonly events: ReadonlyMap<string, ReadonlySet<string>>;
  readonly attributes: ReadonlySet<string>;
} => {
  const events = new Map<string, Set<string>>();
  const attributes = new Set<string>();
  const addEvent = (name: string, filters: readonly PropertyFilter[]): void => {
    const props = events.get(name) ?? new Set<string>();
    for (const f of filters) props.add(f.property);
    events.set(name, props);
  };
  const walk = (condition: Condition): void => {
    if (condition.kind === 'attribute') attributes.add(condition.attribute);
    else if (condition.kind === 'event') addEvent(condition.event, condition.where);
    else for (const inner of condition.of) walk(inner);
  };
  if (recipe.audience.kind === 'segment') walk(recipe.audience.condition);
  else {
    const { trigger, filter, goal, messages } = recipe.audience.campaign;
    addEvent(trigger.event, trigger.where);
    if (filter) walk(filter);
    if (goal) addEvent(goal.event, goal.where);
    for (const message of messages) walk(message.sendIf);
    for (const field of recipe.liquid) {
      if (field.path.startsWith('event.'))
        events.get(trigger.event)?.add(field.path.slice('event.'.length).split(/[[.]/)[0] ?? '');
    }
  }
  for (const field of recipe.liquid) {
    if (field.path.startsWith('customer.')) attributes.add(field.path.slice('customer.'.length));
  }
  return { events, attributes };
};

/** The events and attributes a recipe uses, as one line of Markdown. */
const dataWords = (recipe: Recipe): string => {
  const { events, attributes } = recipeData(recipe);
  const eventList = [...events].map(([name, props]) =>
    props.size === 0 ? `\`${name}\`` : `\`${name}\` (${[...props].map((p) => `\`${p}\``).join(', ')})`,
  );
  const attributeList = [...attributes].map((a) => `\`${a}\``);
  const parts = [
    ...(eventList.length > 0 ? [`events ${eventList.join(', ')}`] : []),
    ...(attributeList.length > 0 ? [`attributes ${attributeList.join(', ')}`] : []),
  ];
  return parts.join('; ');
};

const renderData = (recipe: Recipe): string => `- **Data:** ${dataWords(recipe)}`;

/** The name of the local-stack check that proves a recipe (test/local/journeys.test.ts). */
export const checkName = (id: string): string => `${id}: the entering people enter, the others do not`;

/** The table of every recipe: what it builds, the data it uses and the check that proves it. */
const renderRecipeIndex = (recipes: readonly Recipe[]): string =>
  markdownTable(
    ['Recipe', 'Builds', 'Data it uses', 'Check (`test/local/journeys.test.ts`)'],
    recipes.map((r) => [
      `[${r.title}](#${r.id})`,
      r.audience.kind === 'segment' ? 'segment' : 'event-triggered campaign',
      dataWords(r),
      checkName(r.id),
    ]),
  );

/** The generated part of a recipe's section in docs/journeys.md. */
export const renderRecipeBlock = (recipe: Recipe): string =>
  [
    ...(recipe.audience.kind === 'segment'
      ? renderSegment(recipe.audience.condition)
      : renderCampaign(recipe.audience.campaign)),
    renderData(recipe),
    ...(recipe.latency
      ? [`- **Latency:** ${recipe.latency} Guarded by the [queue-age alarm](${LATENCY_ALARM}).`]
      : []),
    ...renderLiquid(recipe.liquid),
  ].join('\n');

const open = (id: string): string =>
  `<!-- recipe:${id} (generated from shared/journeys/recipes.ts: edit the recipe, then run ` +
  '`UPDATE_DOCS=1 npx vitest run test/docs/journeys-doc.test.ts`) -->';
const close = (id: string): string => `<!-- /recipe:${id} -->`;

/** The ids of the generated blocks a document contains, in order. */
export const blockIds = (doc: string): string[] =>
  [...doc.matchAll(/<!-- recipe:([a-z0-9-]+) /g)].map((m) => m[1] ?? '');

const replaceBlock = (text: string, id: string, body: string): string => {
  const start = text.indexOf(`<!-- recipe:${id} `);
  const end = text.indexOf(close(id));
  if (start < 0 || end < start) return text;
  return `${text.slice(0, start)}${open(id)}\n\n${body}\n\n${text.slice(end)}`;
};

/** The block id of the recipe index table. */
export const INDEX_BLOCK = 'index';

/**
 * The document with the index table and every recipe's block rewritten from the definitions. Only existing
 * blocks are rewritten: the prose around them, and where they stand, belong to the author.
 */
export const spliceRecipeBlocks = (doc: string, recipes: readonly Recipe[]): string =>
  recipes.reduce(
    (text, recipe) => replaceBlock(text, recipe.id, renderRecipeBlock(recipe)),
    replaceBlock(doc, INDEX_BLOCK, renderRecipeIndex(recipes)),
  );
