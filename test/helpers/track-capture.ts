import { afterAll, beforeAll, beforeEach } from 'vitest';
import { type CustomerIoCapture, startCustomerIoCapture } from '../../local/customerio-capture.js';
import { HttpCustomerIoTrack } from '../../shared/delivery/customerio-client.js';
import type { OutboxRecord } from '../../shared/delivery/deliver-batch.js';
import type { OutboxMessage } from '../../shared/delivery/outbox-message.js';

/** A real Track client pointed at the local Customer.io capture server on 127.0.0.1, reset before each test. */
export interface TrackCapture {
  readonly capture: CustomerIoCapture;
  readonly track: HttpCustomerIoTrack;
}

/**
 * Starts the capture once for the enclosing describe block and clears its requests and canned answers before each
 * test. Read the fields inside tests: they are set in beforeAll.
 */
export const useTrackCapture = (): TrackCapture => {
  const state = {} as { capture: CustomerIoCapture; track: HttpCustomerIoTrack };
  beforeAll(async () => {
    state.capture = await startCustomerIoCapture();
    state.track = new HttpCustomerIoTrack({
      baseUrl: state.capture.url,
      siteId: 'site',
      apiKey: 'key',
      timeoutMs: 2_000,
    });
  });
  afterAll(async () => state.capture.close());
  beforeEach(() => {
    state.capture.requests.length = 0;
    state.capture.respondWith(undefined);
  });
  return state;
};

/** An outbox SQS record carrying a message (or a raw body, to test what is not a message). */
export const outboxRecord = (messageId: string, message: OutboxMessage | string): OutboxRecord => ({
  messageId,
  body: typeof message === 'string' ? message : JSON.stringify(message),
});
