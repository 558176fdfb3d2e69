import { parseJsonLossless } from '../json/lossless-json.js';
import { sha256 } from '../signatures/signature-result.js';
import type { AcceptResult } from './webhook-source.js';

/*
 * Helpers for platforms that route by their body (Judge.me, Okendo, Stamped, Yotpo) or send no delivery id
 * (Recharge): all of them run only after the signature over the raw bytes has passed.
 */

/**
 * Parses a body whose signature has already passed, for platforms that put the topic or the shop only in the body.
 * Undefined when it is not a JSON object. Never call it before the signature check.
 */
export const parseVerifiedObject = (body: Buffer): Record<string, unknown> | undefined => {
  try {
    const value = parseJsonLossless(body.toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
};

/** A trimmed non-empty string field, or undefined. */
export const textField = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;

/** Refuses a delivery whose verified body lacks the parts routing needs. */
export const missingParts = (missing: readonly string[]): AcceptResult => ({
  ok: false,
  reason: 'missing_headers',
  missing,
});

/** A delivery id for platforms that send none: retries resend the same bytes, so they hash alike. */
export const bodyDeliveryId = (topic: string, body: Buffer): string =>
  sha256(topic, '\n', body).toString('hex');
