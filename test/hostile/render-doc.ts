import type { HostileCase, HostileSource, Outcome } from './hostile-kit.js';

/** Where the catalogue's documentation lives, and the command that writes it. */
export const HOSTILE_DOC = 'docs/hostile-inputs.md';
export const HOSTILE_DOC_COMMAND = 'npx tsx scripts/hostile-doc.ts';

const SOURCES: readonly { readonly source: HostileSource; readonly title: string }[] = [
  { source: 'shopify', title: 'Shopify (`POST /webhooks/shopify`)' },
  { source: 'recharge', title: 'Recharge (`POST /webhooks/recharge`)' },
  { source: 'judgeme', title: 'Judge.me (`POST /webhooks/judgeme`)' },
  { source: 'okendo', title: 'Okendo (`POST /webhooks/okendo`)' },
  { source: 'stamped', title: 'Stamped (`POST /webhooks/stamped`)' },
  { source: 'yotpo', title: 'Yotpo (`POST /webhooks/yotpo/<token>`)' },
  { source: 'collect', title: 'Storefront beacons (`/collect`)' },
];

const KINDS: readonly Outcome['kind'][] = ['delivered', 'parked', 'ignored', 'refused'];

/** How a case ends, in words. */
const ends = (outcome: Outcome): string => {
  if (outcome.kind === 'refused')
    return `refused at the edge${outcome.error ? `: \`${outcome.error}\`` : ''}`;
  if (outcome.kind === 'parked') return `queued, then parked in the inbox DLQ: \`${outcome.code}\``;
  if (outcome.kind === 'delivered') return 'queued, delivered to Customer.io';
  return 'acknowledged; nothing delivered, nothing parked';
};

const cell = (text: string): string => text.replaceAll('|', '\\|');

/**
 * The page as its words and cells, whatever padding the formatter gave its tables (biome aligns them): what the
 * doc test compares.
 */
export const withoutTablePadding = (page: string): string =>
  page
    .split('\n')
    .map((line) => (line.startsWith('|') ? line.replace(/ *\| */g, '|').replace(/-{3,}/g, '---') : line))
    .join('\n')
    .trim();

/** docs/hostile-inputs.md, generated from the catalogue (test/hostile/). */
export const renderHostileDoc = (cases: readonly HostileCase[], seed: number): string => {
  const count = (source: HostileSource, kind: Outcome['kind']) =>
    cases.filter((c) => c.source === source && c.outcome.kind === kind).length;
  const lines = [
    '# Hostile inputs',
    '',
    `<!-- Generated from test/hostile/ by \`${HOSTILE_DOC_COMMAND}\`; test/docs/hostile-inputs-doc.test.ts checks it is current. -->`,
    '',
    'What an attacker, a misbehaving platform or a careless shopper can send, the HTTP answer the connector gives,',
    'and where each delivery ends. Every case runs on the local stack (`test/local/hostile-catalogue.test.ts`) through',
    'the real ingest HTTP path and is followed to its end: refused at the edge (nothing queued), parked in the inbox',
    'DLQ with its `failure_code` and a reason, delivered to Customer.io, or acknowledged and ignored. Each case is a',
    `randomized variant of the published samples, drawn from a seed (${seed} in CI; set \`HOSTILE_SEED\` to draw others).`,
    '',
    `${cases.length} cases:`,
    '',
    `| source | ${KINDS.join(' | ')} | total |`,
    `| --- | ${KINDS.map(() => '---').join(' | ')} | --- |`,
    ...SOURCES.map(
      ({ source }) =>
        `| ${source} | ${KINDS.map((kind) => count(source, kind)).join(' | ')} | ${cases.filter((c) => c.source === source).length} |`,
    ),
    '',
  ];
  for (const { source, title } of SOURCES) {
    lines.push(`## ${title}`, '', '| case | input | HTTP | ends |', '| --- | --- | --- | --- |');
    for (const c of cases.filter((h) => h.source === source)) {
      const also = c.also ? `; ${c.also.says}` : '';
      lines.push(`| \`${c.id}\` | ${cell(c.input)} | ${c.status} | ${cell(ends(c.outcome) + also)} |`);
    }
    lines.push('');
  }
  return `${lines.join('\n')}`;
};
