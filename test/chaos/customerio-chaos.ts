import { createHash } from 'node:crypto';
import type { CapturedAnswer, CapturedRequest } from '../../local/customerio-capture.js';
import type { Random } from './random.js';

/** How often the fake Customer.io misbehaves, per call (rejections per event, decided by its id). */
export interface CustomerIoFaultRates {
  /** 429 with Retry-After: 1. */
  readonly rateLimited: number;
  /** 500 or 503. */
  readonly serverError: number;
  /** Answers after the connector's timeout, having applied the call (the answer is what is lost). */
  readonly timeout: number;
  /** Share of events refused as invalid, always the same ones (207 in a batch, 400 alone). */
  readonly rejectEvent: number;
}

/** One operation Customer.io took (accepted, or applied and then answered too late). */
export interface AppliedOperation {
  readonly action: string;
  readonly name?: string;
  readonly id?: string;
  readonly identifiers?: Readonly<Record<string, unknown>>;
  readonly attributes: Readonly<Record<string, unknown>>;
  /** Order in which Customer.io applied it. */
  readonly sequence: number;
}

/** The fake Customer.io's side of the run: how to answer, and what it took. */
export interface ChaosCustomerIo {
  readonly respond: (request: CapturedRequest) => CapturedAnswer;
  /** Every operation applied, in order. */
  readonly applied: AppliedOperation[];
  /** Calls answered, by outcome (`ok`, `partial`, `rejected`, `rate_limited`, `server_error`, `timeout`). */
  readonly answers: Record<string, number>;
  /** Events refused as invalid (each counted per refusal). */
  rejectedEvents: number;
}

type Operation = Record<string, unknown>;

/** The operations of a Track call: a v2 batch, or one v1 anonymous event (in the v2 shape). */
export const operationsOf = (request: CapturedRequest): Operation[] => {
  const body = (request.body ?? {}) as Operation;
  if (request.path === '/api/v2/batch') return Array.isArray(body.batch) ? (body.batch as Operation[]) : [];
  if (request.path === '/api/v1/events') {
    return [
      {
        action: 'event',
        name: body.name,
        id: body.id,
        identifiers: { anonymous_id: body.anonymous_id },
        attributes: body.data,
      },
    ];
  }
  return [];
};

/**
 * A fake Customer.io for the capture server: transient faults drawn per call from the seed, and a fixed set of
 * invalid events (by a hash of seed and event id, so a resend of one is refused again, as a real validation
 * error would be). Only what it accepted counts as delivered.
 */
export const chaosCustomerIo = (
  random: Random,
  seed: number,
  rates: CustomerIoFaultRates,
  connectorTimeoutMs: number,
): ChaosCustomerIo => {
  const applied: AppliedOperation[] = [];
  const answers: Record<string, number> = {};
  const state: ChaosCustomerIo = {
    respond: () => ({ status: 200, body: {} }),
    applied,
    answers,
    rejectedEvents: 0,
  };
  const count = (outcome: string) => {
    answers[outcome] = (answers[outcome] ?? 0) + 1;
  };
  const invalid = (op: Operation): boolean => {
    if (op.action !== 'event' || typeof op.id !== 'string') return false;
    const digest = createHash('sha256').update(`${seed}:${op.id}`).digest().readUInt32BE(0);
    return digest / 2 ** 32 < rates.rejectEvent;
  };
  const apply = (op: Operation) =>
    applied.push({
      action: String(op.action),
      ...(typeof op.name === 'string' ? { name: op.name } : {}),
      ...(typeof op.id === 'string' ? { id: op.id } : {}),
      ...(typeof op.identifiers === 'object' && op.identifiers !== null
        ? { identifiers: op.identifiers as Record<string, unknown> }
        : {}),
      attributes: (op.attributes ?? {}) as Record<string, unknown>,
      sequence: applied.length,
    });
  const respond = (request: CapturedRequest): CapturedAnswer => {
    const operations = operationsOf(request);
    const draw = random.next();
    if (draw < rates.rateLimited) {
      count('rate_limited');
      return { status: 429, body: {}, headers: { 'retry-after': '1' } };
    }
    if (draw < rates.rateLimited + rates.serverError) {
      count('server_error');
      return { status: random.pick([500, 503]), body: {} };
    }
    const refused = operations.flatMap((op, index) => (invalid(op) ? [index] : []));
    const applyValid = () => {
      for (const [index, op] of operations.entries()) if (!refused.includes(index)) apply(op);
    };
    if (draw < rates.rateLimited + rates.serverError + rates.timeout) {
      // Applied, but the answer comes after the connector stopped waiting: it will send the same items again.
      applyValid();
      count('timeout');
      return { status: 200, body: {}, delayMs: connectorTimeoutMs + 500 };
    }
    if (refused.length === 0) {
      applyValid();
      count('ok');
      return { status: 200, body: {} };
    }
    state.rejectedEvents += refused.length;
    const errors = refused.map((index) => ({ batch_index: index, reason: 'invalid', field: 'attributes' }));
    if (request.path === '/api/v1/events') {
      count('rejected');
      return { status: 400, body: { meta: { errors: ['invalid event'] } } };
    }
    // A 400 refuses the whole call (the connector then sends the items one by one); a 207 only the bad items.
    if (operations.length === 1 || random.chance(0.3)) {
      count('rejected');
      return { status: 400, body: { errors: operations.length === 1 ? errors : [] } };
    }
    applyValid();
    count('partial');
    return { status: 207, body: { errors } };
  };
  return Object.assign(state, { respond });
};
