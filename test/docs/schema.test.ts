import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderSchemas, SCHEMA_COMMAND, SCHEMA_DIR } from '../../scripts/generate-schema.js';
import { EVENT_NAMES } from '../../shared/canonical/events.js';

const committed = (file: string): string =>
  readFileSync(path.resolve(process.cwd(), SCHEMA_DIR, file), 'utf8');

describe('docs/schema', () => {
  const rendered = renderSchemas();

  it.each(Object.keys(rendered))('%s is current', (file) => {
    expect(committed(file), `${SCHEMA_DIR}/${file} is stale: run \`${SCHEMA_COMMAND}\` and commit it`).toBe(
      rendered[file],
    );
  });

  it('describes every implemented canonical event by its default name', () => {
    const schema = JSON.parse(rendered['canonical-event.schema.json'] ?? '{}') as {
      oneOf: { properties: { name: { const: string } } }[];
    };
    const names = schema.oneOf.map((s) => s.properties.name.const);
    expect(names).toEqual(
      expect.arrayContaining(['Order Completed', 'Order Cancelled', 'Order Fulfilled', 'Order Refunded']),
    );
    for (const name of names) expect(EVENT_NAMES).toContain(name);
  });

  it('documents the person update with Customer.io reserved unsubscribed as true only', () => {
    const schema = JSON.parse(rendered['person-update.schema.json'] ?? '{}') as {
      required: string[];
      properties: { attributes: unknown };
      $defs: { person_attributes: { properties: Record<string, unknown> } };
    };
    expect(schema.required).toEqual(['dedupe_key', 'source', 'shop', 'occurred_at', 'person', 'attributes']);
    expect(schema.properties.attributes).toEqual({ $ref: '#/$defs/person_attributes' });
    expect(schema.$defs.person_attributes.properties.unsubscribed).toEqual({ type: 'boolean', const: true });
  });
});
