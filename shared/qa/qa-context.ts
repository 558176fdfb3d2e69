import type { QaOrder, QaShopper } from './qa-payloads.js';
import { qaProduct } from './qa-payloads.js';
import type { QaSender } from './qa-sender.js';

/** What a scenario runs with. */
export interface QaContext {
  /** This run's mark, in every test email (`qa+<run>-…@example.com`) and token. */
  readonly run: string;
  readonly sender: QaSender;
  readonly clock: () => Date;
  /** Seconds from a cart's last activity to its first recovery step, when known (else abandoned checks are manual). */
  readonly firstStepSeconds?: number;
  /** A number unique within the run (ids of customers, orders, subscriptions). */
  readonly next: () => string;
}

/** A marked QA shopper of a scenario. */
export const qaShopper = (ctx: QaContext, scenario: string, firstName = 'QA'): QaShopper => ({
  customerId: ctx.next(),
  email: `qa+${ctx.run}-${scenario}@example.com`,
  firstName,
});

/** A test order of a shopper: one QA mug, now, unless told otherwise. */
export const qaOrder = (ctx: QaContext, shopper: QaShopper, extra: Partial<QaOrder> = {}): QaOrder => ({
  id: ctx.next(),
  shopper,
  product: qaProduct(),
  quantity: 1,
  at: ctx.clock(),
  ...extra,
});
