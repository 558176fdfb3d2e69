import * as z from 'zod';
import { CanonicalEventSchema } from '../../shared/canonical/events.js';
import { PersonAttributesSchema } from '../../shared/canonical/person.js';

/** Every event has these at delivery, next to its properties (shared/delivery/deliver-batch.ts). */
const DELIVERY_ATTRIBUTES = new Set(['source', 'shop']);

const unwrap = (schema: z.ZodType): z.ZodType => {
  let current = schema;
  while (
    current instanceof z.ZodOptional ||
    current instanceof z.ZodNullable ||
    current instanceof z.ZodDefault
  ) {
    current = current.unwrap() as z.ZodType;
  }
  return current;
};

/** Follows `a.b[].c` (`[]`: an entry of a list) through object and array schemas. */
const hasPath = (root: z.ZodType, path: string): boolean => {
  let schema: z.ZodType | undefined = root;
  for (const part of path.split('.')) {
    const list = part.endsWith('[]');
    const key = list ? part.slice(0, -2) : part;
    const object: z.ZodType | undefined = schema && unwrap(schema);
    if (!(object instanceof z.ZodObject)) return false;
    schema = (object.shape as Record<string, z.ZodType>)[key];
    if (!schema) return false;
    if (list) {
      const array = unwrap(schema);
      if (!(array instanceof z.ZodArray)) return false;
      schema = array.element as z.ZodType;
    }
  }
  return true;
};

/** Whether a canonical event of that name has the property path (e.g. `products[].product_id`). */
export const eventHasPath = (eventName: string, path: string): boolean => {
  if (DELIVERY_ATTRIBUTES.has(path)) return true;
  const option = CanonicalEventSchema.options.find((o) => o.shape.name.value === eventName);
  return option !== undefined && hasPath(option.shape.properties, path);
};

/** Whether the connector maintains the person attribute. */
export const isPersonAttribute = (name: string): boolean => Object.hasOwn(PersonAttributesSchema.shape, name);
