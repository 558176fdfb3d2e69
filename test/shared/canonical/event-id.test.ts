import { describe, expect, it } from 'vitest';
import { eventIdFor } from '../../../shared/canonical/event-id.js';

describe('eventIdFor', () => {
  it('is a valid ULID that depends only on the dedupe key', () => {
    const id = eventIdFor('order-completed#shop.myshopify.com#820982911946154508');
    expect(id).toMatch(/^[0-7][0-9A-HJKMNP-TV-Z]{25}$/);
    expect(eventIdFor('order-completed#shop.myshopify.com#820982911946154508')).toBe(id);
    expect(eventIdFor('order-completed#shop.myshopify.com#820982911946154509')).not.toBe(id);
  });

  it('spreads keys: 10,000 keys give 10,000 distinct ids', () => {
    const ids = new Set(Array.from({ length: 10_000 }, (_, i) => eventIdFor(`k#${i}`)));
    expect(ids.size).toBe(10_000);
  });
});
