import type { Normalized } from '../normalize/normalizer.js';
import type { ProcessStage } from './process-stage.js';

/**
 * Stages that only add to a delivery's outputs (people updates, signals, profile merges) or rewrite its events, and
 * write items of their own, run at once on the same input: their DynamoDB round trips overlap instead of adding up.
 * The joined output is what running them in the given order would give: the stage that rewrites events wins (at
 * most one may), and what each one appended follows the input's, in stage order. Every stage is idempotent, so a
 * failure in one after another wrote leaves nothing a retry would not redo, as in sequence.
 */
export const concurrentStages = (stages: readonly ProcessStage[]): ProcessStage => ({
  name: stages.map((s) => s.name).join('+'),
  async apply(output, envelope) {
    const outputs = await Promise.all(stages.map((stage) => stage.apply(output, envelope)));
    let events = output.events;
    const people = [...output.people];
    const signals = [...output.signals];
    const merges = [...(output.merges ?? [])];
    for (const next of outputs) {
      if (next.events !== output.events) events = next.events;
      people.push(...next.people.slice(output.people.length));
      signals.push(...next.signals.slice(output.signals.length));
      merges.push(...(next.merges ?? []).slice(output.merges?.length ?? 0));
    }
    const joined: Normalized = { ...output, events, people, signals };
    return merges.length > 0 || output.merges ? { ...joined, merges } : joined;
  },
});
