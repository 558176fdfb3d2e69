import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CanonicalEventSchema, EVENT_NAMES } from '../../shared/canonical/events.js';
import { PersonAttributesSchema } from '../../shared/canonical/person.js';

const doc = readFileSync(path.resolve(process.cwd(), 'docs/events.md'), 'utf8');

/** The text of a `### Name` section, up to the next heading of level 2 or 3. */
const section = (name: string): string => {
  const start = doc.indexOf(`\n### ${name}\n`);
  if (start < 0) return '';
  const rest = doc.slice(start + 5 + name.length);
  const end = rest.search(/\n##/);
  return end < 0 ? rest : rest.slice(0, end);
};

/** A section plus the shared property table of its group (subscriptions, cart recovery). */
const documented = (name: string): string => {
  if (name.startsWith('Subscription ') && name !== 'Subscription Charge Failed') {
    return `${section(name)}${doc.slice(doc.indexOf('## Subscriptions'), doc.indexOf('### Subscription Started'))}`;
  }
  if (name === 'Cart Abandoned') return `${section(name)}${section('Checkout Abandoned')}`;
  if (name === 'Order Cancelled' || name === 'Order Fulfilled')
    return `${section(name)}${section('Order Completed')}`;
  return section(name);
};

describe('docs/events.md', () => {
  it.each(EVENT_NAMES)('has a section for %s', (name) => {
    expect(section(name).trim().length, `add a "### ${name}" section`).toBeGreaterThan(40);
  });

  it.each(
    CanonicalEventSchema.options.map((option) => [
      option.shape.name.value,
      Object.keys(option.shape.properties.shape),
    ]),
  )('documents every property of %s', (name, keys) => {
    const text = documented(name);
    const missing = keys.filter((key) => !text.includes(`\`${key}\``));
    expect(missing, `docs/events.md misses properties of ${name}`).toEqual([]);
  });

  it('documents every person attribute', () => {
    const table = doc.slice(doc.indexOf('## Person attributes'), doc.indexOf('### Marketing consent'));
    const missing = Object.keys(PersonAttributesSchema.shape).filter((key) => !table.includes(`\`${key}\``));
    expect(missing).toEqual([]);
  });

  it('explains renaming with EVENT_NAME_OVERRIDES', () => {
    expect(doc).toContain('`EVENT_NAME_OVERRIDES`');
    expect(doc).toContain('"Added to Cart": "Product Added"');
    expect(doc).toContain('"Review Submitted": "Product Reviewed"');
  });
});
