import type * as z from 'zod';
import type { Clock } from '../ports/clock.js';
import type { RunStateStore } from './run-state-store.js';

/** Another writer changed the checkpoint under this run (it should hold the lease: something is wrong). */
export class CheckpointConflictError extends Error {
  constructor(readonly checkpoint: string) {
    super(`checkpoint ${checkpoint} was changed by another writer; stopped without overwriting it`);
    this.name = 'CheckpointConflictError';
  }
}

/**
 * A state kept under one name with conditional writes: each save is accepted only over the version this run read
 * or wrote last, so two writers can never silently overwrite each other.
 */
export class Checkpoint<T> {
  private version = 0;

  private constructor(
    private readonly store: RunStateStore,
    private readonly name: string,
    private readonly clock: Clock,
  ) {}

  /** Opens the checkpoint and reads what it holds (undefined when nothing valid is stored). */
  static async open<S extends z.ZodType>(
    store: RunStateStore,
    name: string,
    schema: S,
    clock: Clock,
  ): Promise<{ checkpoint: Checkpoint<z.infer<S>>; stored: z.infer<S> | undefined }> {
    const checkpoint = new Checkpoint<z.infer<S>>(store, name, clock);
    const found = await store.read(name);
    checkpoint.version = found?.version ?? 0;
    const parsed = found ? schema.safeParse(found.state) : undefined;
    return { checkpoint, stored: parsed?.success ? parsed.data : undefined };
  }

  /** Saves `state` over the last version; throws CheckpointConflictError when another writer got there first. */
  async save(state: T, ttlDays?: number): Promise<void> {
    if (!(await this.store.write(this.name, state, this.version, this.clock(), ttlDays))) {
      throw new CheckpointConflictError(this.name);
    }
    this.version += 1;
  }
}
