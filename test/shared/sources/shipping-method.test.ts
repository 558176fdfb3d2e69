import { describe, expect, it } from 'vitest';
import { shippingMethodOf } from '../../../shared/sources/shipping-method.js';

describe('shippingMethodOf', () => {
  it('names the method by its title, each once, in order', () => {
    expect(shippingMethodOf([{ title: 'Standard' }])).toBe('Standard');
    expect(
      shippingMethodOf([
        { title: 'Express' },
        { title: ' Local delivery ' },
        { title: 'Express', code: 'X' },
      ]),
    ).toBe('Express, Local delivery');
  });

  it('falls back to the code, leaves removed lines out, and is null without a method', () => {
    expect(shippingMethodOf([{ title: null, code: 'free-shipping' }])).toBe('free-shipping');
    expect(shippingMethodOf([{ title: 'Old', is_removed: true }, { title: 'New' }])).toBe('New');
    expect(shippingMethodOf([])).toBeNull();
    expect(shippingMethodOf(null)).toBeNull();
    expect(shippingMethodOf([{ title: '  ', code: null }])).toBeNull();
  });
});
