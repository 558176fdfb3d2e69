import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js';

/**
 * Normalizes a phone number to E.164, using the given ISO 3166 country for numbers written without a country code.
 * Returns undefined for anything that is not a valid number (never guesses).
 */
export const toE164 = (
  raw: string | null | undefined,
  defaultCountry?: string | null,
): string | undefined => {
  const value = raw?.trim();
  if (!value) return undefined;
  const country =
    defaultCountry && /^[A-Z]{2}$/.test(defaultCountry) ? (defaultCountry as CountryCode) : undefined;
  const parsed = parsePhoneNumberFromString(value, country);
  return parsed?.isValid() ? parsed.number : undefined;
};
