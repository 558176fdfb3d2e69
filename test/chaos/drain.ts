import type { LocalStack } from '../../local/local-stack.js';

/** Consecutive quiet polls (200 ms apart) before the stack counts as drained. */
const QUIET_POLLS = 10;

const queued = (stack: LocalStack, name: string): number => {
  const messages = stack.fauxqs.inspectQueue(name)?.messages;
  return messages ? messages.ready.length + messages.delayed.length + messages.inflight.length : 0;
};

/** What is still moving: messages in the inbox and outbox (ready, delayed or in flight) and pending cart checks. */
export const backlog = (stack: LocalStack): { inbox: number; outbox: number; schedules: number } => ({
  inbox: queued(stack, 'inbox'),
  outbox: queued(stack, 'outbox'),
  schedules: stack.scheduler.pending().length,
});

/**
 * Waits until the run has come to rest: nothing queued, delayed or in flight in the inbox and outbox, and no cart
 * check scheduled or waiting for a retry, for two seconds in a row. Resolves false if that never happens within
 * `timeoutMs` (a record stuck in a loop, a schedule re-arming forever).
 */
export const waitForDrain = async (
  stack: LocalStack,
  timeoutMs: number,
  progress: (line: string) => void = () => undefined,
): Promise<boolean> => {
  const deadline = Date.now() + timeoutMs;
  let quiet = 0;
  let polls = 0;
  while (Date.now() < deadline) {
    const left = backlog(stack);
    polls += 1;
    if (polls % 25 === 0) {
      progress(`  draining: inbox ${left.inbox}, outbox ${left.outbox}, cart checks ${left.schedules}`);
    }
    quiet = left.inbox + left.outbox + left.schedules === 0 ? quiet + 1 : 0;
    if (quiet >= QUIET_POLLS) return true;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return false;
};
