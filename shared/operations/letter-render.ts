import type { DeadLetter, presentDeadLetter } from './dead-letter.js';
import { formatAge, redriveLabel } from './dlq-stats.js';

/** A dead letter ready to print (see {@link presentDeadLetter}). */
type Presented = ReturnType<typeof presentDeadLetter>;

const PARKED_BY: Record<DeadLetter['parkedBy'], string> = {
  worker: 'the worker',
  'lambda-async': "Lambda's async on-failure destination",
  scheduler: "EventBridge Scheduler's dead-letter queue",
  'sqs-max-receives': "the queue's redrive policy (maxReceiveCount)",
  unknown: 'unknown',
};

// Continuation lines (a multi-line validation summary) line up under the first.
const row = (label: string, value: string | undefined): string[] =>
  value === undefined || value === ''
    ? []
    : [`  ${label.padEnd(10)}${value.split('\n').join(`\n${' '.repeat(12)}`)}`];

const indent = (text: string, by: string): string =>
  text
    .split('\n')
    .map((line) => `${by}${line}`)
    .join('\n');

/** One dead letter as text: who, what, why, since when, where it goes back to, then the (masked) payload. */
export const renderLetter = (
  letter: Presented,
  now: Date,
  options: { brief: boolean; raw: boolean },
): string => {
  const f = letter.failure;
  const what = [letter.source, letter.topic].filter(Boolean).join(' ') || letter.kind;
  const lines = [
    `── ${letter.dlq} DLQ · message ${letter.messageId} ${'─'.repeat(Math.max(3, 60 - letter.messageId.length))}`,
    ...row('what', `${what}${letter.shop ? `  shop=${letter.shop}` : ''}`),
    ...row(
      'delivery',
      [
        letter.deliveryId ? `id ${letter.deliveryId}` : undefined,
        letter.eventId ? `event id ${letter.eventId}` : undefined,
        letter.receivedAt ? `received ${letter.receivedAt}` : undefined,
        letter.apiVersion ? `API version ${letter.apiVersion}` : undefined,
      ]
        .filter(Boolean)
        .join(', '),
    ),
    ...row(
      'failure',
      `${f.code}${f.class ? ` (${f.class})` : ''}${f.attempts !== undefined ? ` after ${f.attempts} attempt(s)` : ''}${
        f.failedAt ? ` at ${f.failedAt}` : ''
      }, parked by ${PARKED_BY[letter.parkedBy]}`,
    ),
    ...row('reason', f.reason),
    ...row(
      'in DLQ',
      `${letter.sentAt ? `since ${letter.sentAt} (${formatAge(letter.sentAt, now)} ago); ` : ''}DLQ receives ${letter.dlqReceiveCount} (this tool's looks included; redrive ignores them)`,
    ),
    ...row(
      'redrive',
      `→ ${redriveLabel(letter.dlq)}${letter.cartCheck ? ` with {shop, cart_token, step ${letter.cartCheck.step}}` : ''}`,
    ),
  ];
  if (!options.brief) {
    const note = options.raw
      ? 'RAW: personal data shown'
      : `${letter.masked} value(s) masked; --raw shows them`;
    const body =
      letter.payload.format === 'json' ? JSON.stringify(letter.payload.value, null, 2) : letter.payload.text;
    lines.push(`  payload   (${note})`, indent(body, '    '));
  }
  return `${lines.join('\n')}\n`;
};
