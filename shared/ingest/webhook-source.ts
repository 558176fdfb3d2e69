import type { ConnectorSecrets } from '../config/secrets.js';
import type { HttpRequest } from '../http/http-types.js';
import type { SignatureFailureReason } from '../signatures/signature-result.js';
import type { SourceName } from './envelope.js';

/** Transport facts about one delivery, taken from verified headers. */
interface DeliveryMeta {
  readonly topic: string;
  readonly shop: string;
  readonly deliveryId: string;
  readonly eventId?: string;
  readonly apiVersion?: string;
  readonly triggeredAt?: string;
}

/** Why a delivery was refused before queueing. */
export type RejectReason = SignatureFailureReason | 'missing_headers' | 'not_configured';

/** Result of checking one delivery: accepted with its meta, or refused with a reason. */
export type AcceptResult =
  | { readonly ok: true; readonly meta: DeliveryMeta }
  | { readonly ok: false; readonly reason: RejectReason; readonly missing?: readonly string[] };

/** A webhook platform's ingress rules: how its signature is checked and where its transport facts are. */
export interface WebhookSource {
  readonly name: SourceName;
  /** Verifies the signature over the raw bytes first, then reads the required headers. Pure. */
  accept(request: HttpRequest, secrets: ConnectorSecrets, now: Date, pathToken?: string): AcceptResult;
}

/** Lists the required headers that are absent or blank. */
export const missingHeaders = (
  headers: Readonly<Record<string, string>>,
  names: readonly string[],
): string[] => names.filter((name) => (headers[name] ?? '').trim() === '');
