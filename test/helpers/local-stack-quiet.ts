import type { LocalStack } from '../../local/local-stack.js';
import { waitFor } from './wait-for.js';

/** Consecutive polls (50 ms apart) with nothing queued, in flight or delayed before the stack counts as quiet. */
const CALM_POLLS = 6;

const busy = (stack: LocalStack): boolean =>
  ['inbox', 'outbox'].some((name) => {
    const messages = stack.fauxqs.inspectQueue(name)?.messages;
    return !messages || messages.ready.length + messages.delayed.length + messages.inflight.length > 0;
  });

/**
 * Waits until every accepted delivery has gone through process and deliver: inbox and outbox hold nothing ready,
 * delayed or in flight. A record reaches the outbox before it leaves the inbox and the capture before it leaves
 * the outbox, so a quiet stack has delivered everything it was given.
 */
export const waitForQuiet = async (stack: LocalStack, timeoutMs = 30_000): Promise<void> => {
  let calm = 0;
  await waitFor(
    () => {
      calm = busy(stack) ? 0 : calm + 1;
      return calm >= CALM_POLLS ? true : undefined;
    },
    timeoutMs,
    'the local stack to go quiet',
  );
};

/** Waits until the local scheduler has fired every cart check and the stack delivered what they emitted. */
export const waitForCartChecks = async (stack: LocalStack, timeoutMs = 60_000): Promise<void> => {
  await waitFor(
    () => (stack.scheduler.pending().length === 0 ? true : undefined),
    timeoutMs,
    'every cart check to fire',
  );
  await waitForQuiet(stack, timeoutMs);
};
