import { afterAll, expect } from 'vitest';
import { type DeadLetter, onLocalStackStop } from '../../local/dead-letter-audit.js';

/**
 * Runs before every test file (vitest `setupFiles`): every local stack the file starts is inspected as it stops,
 * and the file fails if any of its dead-letter queues holds a message without a reason (CONTRACTS.md: the
 * failure_* attributes, a Lambda invocation record, or the Scheduler's ERROR_* attributes).
 */
const unexplained: DeadLetter[] = [];
const stopObserving = onLocalStackStop(({ deadLetters }) => {
  unexplained.push(...deadLetters.filter((letter) => letter.why === undefined));
});

afterAll(() => {
  stopObserving();
  const summary = unexplained.map((letter) => ({
    queue: letter.queue,
    attributes: Object.keys(letter.attributes).sort(),
    body: letter.body.slice(0, 200),
  }));
  expect(summary, 'dead letters without a reason').toEqual([]);
});
