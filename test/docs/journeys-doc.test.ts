import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RECIPES } from '../../shared/journeys/recipes.js';
import {
  blockIds,
  INDEX_BLOCK,
  LATENCY_ALARM,
  spliceRecipeBlocks,
} from '../../shared/journeys/render-recipe.js';
import { eventHasPath, isPersonAttribute } from '../helpers/schema-paths.js';

const DOC_PATH = path.resolve(process.cwd(), 'docs/journeys.md');
const read = (): string => readFileSync(DOC_PATH, 'utf8');

// The generated blocks are refreshed on request, like a snapshot: UPDATE_DOCS=1 rewrites them in place.
if (process.env.UPDATE_DOCS === '1') writeFileSync(DOC_PATH, spliceRecipeBlocks(read(), RECIPES));
const doc = read();

/** A recipe's section: from its anchor to the next anchor or level-2 heading. */
const section = (id: string): string => {
  const start = doc.indexOf(`<a id="${id}"></a>`);
  if (start < 0) return '';
  const rest = doc.slice(start + 1);
  const end = rest.search(/<a id="|\n## /);
  return end < 0 ? rest : rest.slice(0, end);
};

/** Liquid built-ins read after a value, not properties of it. */
const LIQUID_PROPERTIES = new Set(['size', 'first', 'last']);

/** Every `event.…` / `customer.…` a section's Liquid examples read, loop variables resolved to `list[].field`. */
const liquidReferences = (text: string): string[] =>
  [...text.matchAll(/```liquid\n([\s\S]*?)```/g)].flatMap(([, code = '']) => {
    const loops = new Map(
      [...code.matchAll(/\{%\s*for (\w+) in ((?:event|customer)\.[\w.]+)\s*%\}/g)].map(
        ([, name = '', list = '']) => [name, `${list}[]`],
      ),
    );
    return [...code.matchAll(/\b(\w+)((?:\.\w+|\[\d+\])+)/g)].flatMap(([, root = '', rest = '']) => {
      const base = root === 'event' || root === 'customer' ? root : loops.get(root);
      if (!base) return [];
      const parts = rest
        .replace(/\[\d+\]/g, '[]')
        .split('.')
        .filter(Boolean)
        .filter((p) => !LIQUID_PROPERTIES.has(p));
      return [`${base}.${parts.join('.')}`.replace('.[]', '[]').replace('[].', '[].')];
    });
  });

describe('docs/journeys.md', () => {
  it('has the generated blocks exactly as the recipes render them (UPDATE_DOCS=1 refreshes them)', () => {
    expect(doc).toBe(spliceRecipeBlocks(doc, RECIPES));
  });

  it('has one block per recipe, in the recipes’ order, after the index, and no other', () => {
    expect(blockIds(doc)).toEqual([INDEX_BLOCK, ...RECIPES.map((r) => r.id)]);
  });

  it.each(RECIPES.map((r) => [r.id, r] as const))(
    'has a section for %s with its anchor and title',
    (id, recipe) => {
      expect(section(id)).toContain(`### ${recipe.title}`);
    },
  );

  it.each(RECIPES.map((r) => [r.id, r] as const))(
    'shows for %s only Liquid fields the connector sends',
    (id, recipe) => {
      const trigger =
        recipe.audience.kind === 'campaign' ? recipe.audience.campaign.trigger.event : undefined;
      const unknown = liquidReferences(section(id)).filter((reference) => {
        const [root, ...rest] = reference.split('.');
        const field = rest.join('.');
        if (root === 'customer') return !isPersonAttribute(field);
        return trigger === undefined || !eventHasPath(trigger, field);
      });
      expect(unknown).toEqual([]);
    },
  );

  it('points every time-sensitive recipe at the queue-age alarm of the runbook', () => {
    for (const recipe of RECIPES.filter((r) => r.latency)) {
      expect(section(recipe.id)).toContain(`(${LATENCY_ALARM})`);
      expect(doc.slice(doc.indexOf('## Latency'), doc.indexOf('## The recipes'))).toContain(
        `(#${recipe.id})`,
      );
    }
  });
});
