import { FileRecoveryScheduler, type FileSchedule } from '../shared/cart/file-recovery-scheduler.js';
import type { CartCheckInput, RecoveryScheduler, ScheduledCheck } from '../shared/cart/recovery-scheduler.js';
import type { Log } from '../shared/ports/telemetry.js';

/** Settings of the local scheduler. */
export interface LocalSchedulerOptions {
  /** How often due checks are looked for. */
  readonly pollMs?: number;
  /** First retry delay after a failed invocation; doubles per attempt. */
  readonly retryDelayMs?: number;
  /** Retries before a schedule moves to the dead list (Lambda's async retries of a failed check). */
  readonly maxRetryAttempts?: number;
  /** The function timeout: an invocation still running after it fails like a Lambda timeout (unlimited if unset). */
  readonly timeoutMs?: number;
  /** Called once a check failed every retry (Lambda then sends it to the function's on-failure destination). */
  readonly onExhausted?: (input: CartCheckInput, error: unknown, attempts: number) => Promise<void>;
  readonly log: Log;
}

/**
 * Stand-in for EventBridge Scheduler in the local stack, because no Scheduler emulator exists on npm. It is the
 * same RecoveryScheduler port the Lambdas use (SCHEDULER_MODE=local): schedules live in a JSON file, so a restart
 * keeps due checks, and a poll loop invokes the real cart-check handler with each due schedule's Input, deletes
 * the schedule after the invocation (ActionAfterCompletion DELETE) and retries failures with backoff.
 */
export class LocalRecoveryScheduler implements RecoveryScheduler {
  private readonly file: FileRecoveryScheduler;
  private timer?: NodeJS.Timeout;
  private ticking?: Promise<void>;

  constructor(
    path: string,
    private readonly invoke: (input: CartCheckInput) => Promise<unknown>,
    private readonly options: LocalSchedulerOptions,
  ) {
    this.file = new FileRecoveryScheduler(path);
  }

  /** The JSON file the schedules are kept in. */
  get path(): string {
    return this.file.path;
  }

  schedule(check: ScheduledCheck): Promise<void> {
    return this.file.schedule(check);
  }

  cancel(check: ScheduledCheck): Promise<void> {
    return this.file.cancel(check);
  }

  /** Schedules still waiting, soonest first. */
  pending(): FileSchedule[] {
    return this.file.pending();
  }

  /** Schedules that failed every retry. */
  dead(): FileSchedule[] {
    return this.file.dead();
  }

  /** Starts firing due checks. */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      this.ticking ??= this.fireDue(new Date()).finally(() => {
        this.ticking = undefined;
      });
    }, this.options.pollMs ?? 500);
  }

  /** Stops firing and waits for the invocations in flight. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.ticking;
  }

  /** Invokes every check due at `now` once. */
  async fireDue(now: Date): Promise<void> {
    for (const schedule of this.file.due(now)) {
      try {
        const outcome = await this.invokeWithin(schedule.input);
        this.file.completed(schedule.name);
        this.options.log.info('cart check fired', {
          schedule: schedule.name,
          cart_token: schedule.input.cart_token,
          step: schedule.input.step,
          outcome: JSON.stringify(outcome ?? null),
        });
      } catch (error) {
        const delay = (this.options.retryDelayMs ?? 2_000) * 2 ** schedule.attempts;
        const maxRetryAttempts = this.options.maxRetryAttempts ?? 5;
        const errorName = error instanceof Error ? error.name : typeof error;
        this.file.failed(schedule.name, errorName, new Date(now.getTime() + delay), maxRetryAttempts);
        if (schedule.attempts + 1 > maxRetryAttempts) {
          this.options.log.warn('cart check failed every retry', {
            schedule: schedule.name,
            cart_token: schedule.input.cart_token,
            step: schedule.input.step,
            error: errorName,
          });
          await this.options
            .onExhausted?.(schedule.input, error, schedule.attempts + 1)
            .catch((cause: unknown) =>
              this.options.log.error('cart check could not be dead-lettered', {
                schedule: schedule.name,
                error: cause instanceof Error ? cause.name : typeof cause,
              }),
            );
        } else {
          this.options.log.warn('cart check failed; retried later', {
            schedule: schedule.name,
            cart_token: schedule.input.cart_token,
            step: schedule.input.step,
            error: errorName,
          });
        }
      }
    }
  }

  /** Lambda ends an invocation at its timeout with a `Sandbox.Timedout` error; the work left hanging is abandoned. */
  private async invokeWithin(input: CartCheckInput): Promise<unknown> {
    const timeoutMs = this.options.timeoutMs;
    if (timeoutMs === undefined) return this.invoke(input);
    let timer: NodeJS.Timeout | undefined;
    const invocation = this.invoke(input);
    invocation.catch(() => undefined);
    try {
      return await Promise.race([
        invocation,
        new Promise((_, reject) => {
          timer = setTimeout(() => {
            const error = new Error(`Task timed out after ${(timeoutMs / 1000).toFixed(2)} seconds`);
            error.name = 'Sandbox.Timedout';
            reject(error);
          }, timeoutMs);
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
  }
}
