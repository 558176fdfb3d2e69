import examples from 'libphonenumber-js/examples.mobile.json' with { type: 'json' };
import { parsePhoneNumberFromString as parseWithMaxMetadata } from 'libphonenumber-js/max';
import { describe, expect, it } from 'vitest';
import { toE164 } from '../../../shared/identity/phone.js';

/**
 * toE164 runs on libphonenumber's default "min" metadata, the smallest it ships (83 KB; "mobile" is 99 KB and
 * would also drop landlines, "max" 157 KB). These hold it to the numbers the connector meets: the sample
 * payloads, national and international forms in the common direct-to-consumer markets, and an example number of
 * every country, which must give the same E.164 as the full ("max") metadata.
 */
describe('toE164', () => {
  it.each([
    ['+64275247293', 'US', '+64275247293'],
    ['2345678890', 'US', '+12345678890'],
    ['3103103101', 'US', '+13103103101'],
    ['3213213210', 'US', '+13213213210'],
    ['555-555-SHIP', 'US', undefined],
    ['555-555-5555', 'US', undefined],
    ['555-625-1199', 'US', undefined],
    ['123-123-1234', 'US', undefined],
    ['0000000000000', 'US', undefined],
    ['', 'US', undefined],
  ])('reads the sample payloads’ %s (%s) as %s', (raw, country, expected) => {
    expect(toE164(raw, country)).toBe(expected);
  });

  it.each([
    ['(613) 555-0123', 'CA', '+16135550123'],
    ['+1 613-555-0123', undefined, '+16135550123'],
    ['020 7946 0958', 'GB', '+442079460958'],
    ['07400 123456', 'GB', '+447400123456'],
    ['+44 7400 123456', 'US', '+447400123456'],
    ['0412 345 678', 'AU', '+61412345678'],
    ['021 123 4567', 'NZ', '+64211234567'],
    ['085 123 4567', 'IE', '+353851234567'],
    ['030 123456', 'DE', '+4930123456'],
    ['01512 3456789', 'DE', '+4915123456789'],
    ['06 12 34 56 78', 'FR', '+33612345678'],
    ['06 12345678', 'NL', '+31612345678'],
    ['612 34 56 78', 'ES', '+34612345678'],
    ['312 345 6789', 'IT', '+393123456789'],
    ['070-123 45 67', 'SE', '+46701234567'],
    ['090-1234-5678', 'JP', '+819012345678'],
    ['(11) 91234-5678', 'BR', '+5511912345678'],
    ['55 1234 5678', 'MX', '+525512345678'],
    ['98765 43210', 'IN', '+919876543210'],
  ])('reads %s (%s) in a common market as %s', (raw, country, expected) => {
    expect(toE164(raw, country)).toBe(expected);
  });

  it('gives the same E.164 as the full metadata for an example number of every country, national or international', () => {
    const entries = Object.entries(examples as Record<string, string>);
    expect(entries.length).toBeGreaterThan(240);
    for (const [country, national] of entries) {
      const full = parseWithMaxMetadata(national, country as Parameters<typeof parseWithMaxMetadata>[1]);
      const expected = full?.isValid() ? full.number : undefined;
      expect(toE164(national, country), `${country} ${national}`).toBe(expected);
      if (expected) expect(toE164(expected), `${country} ${expected}`).toBe(expected);
    }
  });

  it('never guesses: no country, or a malformed one, leaves a national number unread', () => {
    expect(toE164('020 7946 0958')).toBeUndefined();
    expect(toE164('020 7946 0958', 'gb')).toBeUndefined();
    expect(toE164('020 7946 0958', 'GBR')).toBeUndefined();
  });
});
