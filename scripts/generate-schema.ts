import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as z from 'zod';
import { LineItemSchema, PersonRefSchema } from '../shared/canonical/common.js';
import { CanonicalEventSchema } from '../shared/canonical/events.js';
import { PersonAttributesSchema, PersonUpdateSchema } from '../shared/canonical/person.js';

/** The command that refreshes the committed JSON Schemas. */
export const SCHEMA_COMMAND = 'npx tsx scripts/generate-schema.ts';

/** Shapes used by many events, emitted once under `$defs` with readable names instead of inline copies. */
const shared = (): z.core.$ZodRegistry<{ id: string }> => {
  const registry = z.registry<{ id: string }>();
  registry.add(LineItemSchema, { id: 'line_item' });
  registry.add(PersonRefSchema, { id: 'person_ref' });
  registry.add(PersonAttributesSchema, { id: 'person_attributes' });
  return registry;
};

const render = (schema: z.ZodType, file: string, title: string): string => {
  // Output side: what the connector emits (ids and money already converted, nulls explicit).
  const { $schema, ...body } = z.toJSONSchema(schema, {
    io: 'output',
    target: 'draft-2020-12',
    unrepresentable: 'throw',
    metadata: shared(),
  });
  return `${JSON.stringify({ $schema, $id: file, title, ...body }, null, 2)}\n`;
};

/** The JSON Schema files under docs/schema/, by file name, as the generator writes them. */
export const renderSchemas = (): Record<string, string> => ({
  'canonical-event.schema.json': render(
    CanonicalEventSchema,
    'canonical-event.schema.json',
    'Canonical event',
  ),
  'person-update.schema.json': render(PersonUpdateSchema, 'person-update.schema.json', 'Person update'),
});

/** Where the schemas live, from the repository root. */
export const SCHEMA_DIR = 'docs/schema';

const main = (): void => {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  for (const [file, text] of Object.entries(renderSchemas())) {
    writeFileSync(path.join(root, SCHEMA_DIR, file), text);
    process.stdout.write(`wrote ${SCHEMA_DIR}/${file}\n`);
  }
};

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
