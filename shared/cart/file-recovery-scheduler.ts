import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  type CartCheckInput,
  checkInput,
  type RecoveryScheduler,
  type ScheduledCheck,
  scheduleName,
  wholeSecond,
} from './recovery-scheduler.js';

/** One schedule as the local scheduler keeps it. */
export interface FileSchedule {
  readonly name: string;
  readonly due_at: string;
  readonly input: CartCheckInput;
  readonly attempts: number;
  /** When a failed invocation is tried again (ISO 8601). */
  readonly retry_at?: string;
  readonly last_error?: string;
}

interface FileState {
  schedules: FileSchedule[];
  /** Invocations that failed every retry (the local stand-in for the Scheduler's DLQ). */
  dead: FileSchedule[];
}

/**
 * RecoveryScheduler for the local stack, kept in a JSON file so due checks survive a restart. Reads and writes
 * are synchronous and the file is replaced atomically: the process Lambda, the cart-check Lambda and the firing
 * loop share it inside one Node process. The same name is one schedule, as in EventBridge Scheduler.
 */
export class FileRecoveryScheduler implements RecoveryScheduler {
  constructor(readonly path: string) {}

  async schedule(check: ScheduledCheck): Promise<void> {
    const name = scheduleName(check);
    this.mutate((state) => {
      if (state.schedules.some((s) => s.name === name)) return;
      state.schedules.push({
        name,
        due_at: wholeSecond(check.due_at).toISOString(),
        input: checkInput(check),
        attempts: 0,
      });
    });
  }

  async cancel(check: ScheduledCheck): Promise<void> {
    const name = scheduleName(check);
    this.mutate((state) => {
      state.schedules = state.schedules.filter((s) => s.name !== name);
    });
  }

  /** Schedules whose time (or retry time) has come. */
  due(now: Date): FileSchedule[] {
    const at = now.toISOString();
    return this.read().schedules.filter((s) => (s.retry_at ?? s.due_at) <= at);
  }

  /** Every schedule still waiting, soonest first. */
  pending(): FileSchedule[] {
    return [...this.read().schedules].sort((a, b) => a.due_at.localeCompare(b.due_at));
  }

  /** Invocations that failed every retry. */
  dead(): FileSchedule[] {
    return this.read().dead;
  }

  /** Deletes a schedule after it invoked its target (ActionAfterCompletion DELETE). */
  completed(name: string): void {
    this.mutate((state) => {
      state.schedules = state.schedules.filter((s) => s.name !== name);
    });
  }

  /** Records a failed invocation: retried after `retryAt`, or moved to the dead list when out of attempts. */
  failed(name: string, error: string, retryAt: Date, maxAttempts: number): void {
    this.mutate((state) => {
      const schedule = state.schedules.find((s) => s.name === name);
      if (!schedule) return;
      state.schedules = state.schedules.filter((s) => s.name !== name);
      const next = {
        ...schedule,
        attempts: schedule.attempts + 1,
        retry_at: retryAt.toISOString(),
        last_error: error,
      };
      if (next.attempts > maxAttempts) state.dead.push(next);
      else state.schedules.push(next);
    });
  }

  private read(): FileState {
    if (!existsSync(this.path)) return { schedules: [], dead: [] };
    const parsed = JSON.parse(readFileSync(this.path, 'utf8')) as Partial<FileState>;
    return { schedules: parsed.schedules ?? [], dead: parsed.dead ?? [] };
  }

  private mutate(change: (state: FileState) => void): void {
    const state = this.read();
    change(state);
    mkdirSync(dirname(this.path), { recursive: true });
    const temp = `${this.path}.tmp`;
    writeFileSync(temp, `${JSON.stringify(state, null, 2)}\n`);
    renameSync(temp, this.path);
  }
}
