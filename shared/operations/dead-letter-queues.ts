/** The connector's dead-letter queues, as the ops CLI names them. */
export const DLQ_NAMES = ['inbox', 'outbox', 'cart-check', 'scheduler'] as const;
/** One of the connector's DLQs. */
export type DlqName = (typeof DLQ_NAMES)[number];

/** Where a dead letter goes back to once the cause is fixed: a queue, or a fresh cart-check invocation. */
type RedriveTarget = 'inbox' | 'outbox' | 'cart-check';

/** What the ops CLI knows about each DLQ without being told. */
export interface DlqInfo {
  /** The CloudFormation output holding its URL. */
  readonly output: string;
  /** Where its messages are redriven to. */
  readonly target: RedriveTarget;
  /** What lands there, in one line. */
  readonly holds: string;
}

/** Every DLQ: its stack output, its redrive target and what it holds. */
export const DLQS: Readonly<Record<DlqName, DlqInfo>> = {
  inbox: {
    output: 'InboxDlqUrl',
    target: 'inbox',
    holds: 'deliveries the process worker parked (invalid payload, unresolved person...) or could not finish',
  },
  outbox: {
    output: 'OutboxDlqUrl',
    target: 'outbox',
    holds: 'Customer.io operations refused (400/207) or still failing when out of attempts',
  },
  'cart-check': {
    output: 'CartCheckDlqUrl',
    target: 'cart-check',
    holds: 'cart checks that failed: Lambda async failure records and checks cart-check parked itself',
  },
  scheduler: {
    output: 'SchedulerDlqUrl',
    target: 'cart-check',
    holds: 'cart checks EventBridge Scheduler could not invoke (its target dead-letter queue)',
  },
};

/** The source queues' stack outputs (redrive destinations). */
export const SOURCE_QUEUE_OUTPUTS = { inbox: 'InboxQueueUrl', outbox: 'OutboxQueueUrl' } as const;

/** Parses a `--dlq` value. */
export const isDlqName = (value: string): value is DlqName =>
  (DLQ_NAMES as readonly string[]).includes(value);
